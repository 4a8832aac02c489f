async def test_add_and_list(api):
    added = await api.add("REASON", "  Moving   out ")
    assert added["__typename"] == "AtRiskEntry"
    assert added["name"] == "Moving out"
    rows = await api.list()
    assert [r["name"] for r in rows] == ["Moving out"]
