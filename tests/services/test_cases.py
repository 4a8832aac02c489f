"""Customers and at-risk cases in the service layer, on SQLite and PostgreSQL: every rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from atrisk.db.types import utcnow
from atrisk.domain.accounts import Role
from atrisk.domain.cases import CaseOrder, CaseStatus, ContactChannel, RiskLevel
from atrisk.domain.changes import Area
from atrisk.domain.customers import CustomerStatus
from atrisk.domain.picklists import Category
from atrisk.models.cases import AtRiskCase, Credit
from atrisk.models.customers import Customer
from atrisk.services import cases, changes, customers, picklists
from atrisk.services.errors import (
    EntryInUse,
    NotFound,
    OpenCaseExists,
    ValidationFailed,
    VersionConflict,
)
from tests.utils.accounts import add_user
from tests.utils.cases import caller_of, flag, lists_of, new_customer


@pytest.fixture
async def admin_caller(db, company):
    return caller_of(await add_user(db, company, "admin@acme.example", Role.ADMIN), company)


@pytest.fixture
async def lists(db, company):
    return await lists_of(db, company)


# -- customers ----------------------------------------------------------------------------


async def test_a_customer_is_created_clean(db, admin_caller):
    customer = await new_customer(
        db, admin_caller, "  Jane   Doe ", 4990, account_number=" AB-1 ", email=" Jane@X.example "
    )
    assert (customer.name, customer.account_number, customer.email) == (
        "Jane Doe",
        "AB-1",
        "jane@x.example",
    )
    assert (customer.rmr_cents, customer.status, customer.version) == (
        4990,
        CustomerStatus.ACTIVE,
        1,
    )


async def test_account_numbers_are_unique_per_company_case_folded(db, company, admin_caller):
    await new_customer(db, admin_caller, account_number="AB-1")
    with pytest.raises(ValidationFailed, match='account number "ab-1" already exists') as refused:
        await new_customer(db, admin_caller, "Other", account_number="ab-1")
    assert refused.value.field == "accountNumber"
    # Customers without one never collide; another company's numbers are its own.
    await new_customer(db, admin_caller, "No number 1")
    await new_customer(db, admin_caller, "No number 2")


async def test_the_database_refuses_a_duplicate_account_key_too(db, company):
    async with db.write() as session:
        await changes.claim(session, company.id, Area.CASES)
        for name in ("One", "Two"):
            session.add(
                Customer(
                    company_id=company.id,
                    name=name,
                    name_key=name.lower(),
                    account_number="X",
                    account_key="x",
                    rmr_cents=0,
                    status=CustomerStatus.ACTIVE,
                    version=1,
                    created_at=utcnow(),
                    updated_at=utcnow(),
                )
            )
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": " "}, "name", "Name is required."),
        ({"rmr_cents": -1}, "rmr", "RMR must not be negative."),
        ({"email": "not an email"}, "email", "Email must look like"),
        ({"phone": "call me"}, "phone", "Phone may hold only"),
        ({"account_number": "x" * 51}, "accountNumber", "at most 50 characters"),
    ],
)
async def test_bad_customer_fields_are_refused(db, admin_caller, values, field, message):
    with pytest.raises(ValidationFailed, match=message) as refused:
        await customers.create_customer(
            db, admin_caller, {"name": "Jane", "rmr_cents": 0, **values}
        )
    assert refused.value.field == field
    page = await customers.list_customers(db, admin_caller.company_id)
    assert page.total_count == 0


async def test_update_changes_given_fields_clears_null_ones_and_checks_the_version(
    db, admin_caller
):
    customer = await new_customer(db, admin_caller, email="jane@x.example", phone="555 0100")
    updated = await customers.update_customer(
        db, admin_caller, customer.id, {"rmr_cents": 5990, "phone": None}, expected_version=1
    )
    assert (updated.rmr_cents, updated.phone, updated.email, updated.version) == (
        5990,
        None,
        "jane@x.example",
        2,
    )
    same = await customers.update_customer(db, admin_caller, customer.id, {"rmr_cents": 5990})
    assert same.version == 2  # nothing changed, no new version
    with pytest.raises(VersionConflict) as stale:
        await customers.update_customer(db, admin_caller, customer.id, {"name": "X"}, 1)
    assert stale.value.current.version == 2
    with pytest.raises(NotFound):
        await customers.update_customer(db, admin_caller, "f" * 32, {"name": "X"})


async def test_search_matches_the_start_of_a_name_or_account_number(db, admin_caller):
    for name, number in (("Jane Doe", "A-100"), ("John Smith", "B-200"), ("Ｊａｎｅｔ", None)):
        await new_customer(db, admin_caller, name, account_number=number)
    names = lambda page: [c.name for c in page.nodes]  # noqa: E731
    assert names(await customers.list_customers(db, admin_caller.company_id, search="jan")) == [
        "Jane Doe",
        "Ｊａｎｅｔ",
    ]
    assert names(await customers.list_customers(db, admin_caller.company_id, search="b-2")) == [
        "John Smith"
    ]
    assert names(await customers.list_customers(db, admin_caller.company_id, search="doe")) == []
    assert names(await customers.list_customers(db, admin_caller.company_id, search="%")) == []


async def test_customer_pages_follow_the_name_order_without_gaps(db, admin_caller):
    for number in range(7):
        await new_customer(db, admin_caller, f"Customer {number}")
    seen, cursor = [], None
    while True:
        page = await customers.list_customers(
            db, admin_caller.company_id, first=3, after_cursor=cursor
        )
        assert page.total_count == 7
        seen += [c.name for c in page.nodes]
        if not page.has_next_page:
            break
        cursor = page.end_cursor
    assert seen == [f"Customer {n}" for n in range(7)]
    with pytest.raises(ValidationFailed, match="between 1 and 200"):
        await customers.list_customers(db, admin_caller.company_id, first=201)
    with pytest.raises(ValidationFailed, match="cursor") as bad:
        await customers.list_customers(db, admin_caller.company_id, after_cursor="not-a-cursor")
    assert bad.value.field == "after"


# -- flagging ----------------------------------------------------------------------------


async def test_a_flag_opens_a_case_with_its_defaults(db, admin_caller, lists):
    customer = await new_customer(db, admin_caller, rmr_cents=4990)
    case = await flag(db, admin_caller, customer, lists.reason, cause_id=lists.cause.id)
    assert case.status is CaseStatus.OPEN
    assert case.rmr_at_risk_cents == 4990  # the customer's RMR when flagged
    assert case.reported_by_id == admin_caller.user_id
    assert utcnow() - case.reported_at < timedelta(seconds=5)
    assert (case.reason_id, case.cause_id, case.closed_at, case.version) == (
        lists.reason.id,
        lists.cause.id,
        None,
        1,
    )


async def test_a_customer_has_at_most_one_open_case(db, admin_caller, lists):
    customer = await new_customer(db, admin_caller)
    first = await flag(db, admin_caller, customer, lists.reason)
    with pytest.raises(OpenCaseExists) as exists:
        await flag(db, admin_caller, customer, lists.other_reason)
    assert exists.value.open_case.id == first.id


async def test_the_database_refuses_a_second_open_case(db, company, admin_caller, lists):
    customer = await new_customer(db, admin_caller)
    first = await flag(db, admin_caller, customer, lists.reason)
    async with db.write() as session:
        await changes.claim(session, company.id, Area.CASES)
        session.add(
            AtRiskCase(
                company_id=company.id,
                customer_id=customer.id,
                status=CaseStatus.MITIGATED,
                risk_level=RiskLevel.LOW,
                reason_id=lists.reason.id,
                reported_at=first.reported_at,
                rmr_at_risk_cents=0,
                version=1,
                created_at=first.created_at,
                updated_at=first.created_at,
            )
        )
        with pytest.raises(IntegrityError):
            await session.flush()
        await session.rollback()


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"reason_id": "cause"}, "reasonId", "No Reason has the id"),
        ({"cause_id": "reason"}, "causeId", "No Cause has the id"),
        ({"reason_id": "f" * 32}, "reasonId", "No Reason has the id"),
        ({"reported_at": "future"}, "reportedAt", "cannot be in the future"),
        ({"rmr_at_risk_cents": -5}, "rmrAtRisk", "must not be negative"),
        ({"notes": "x" * 5001}, "notes", "Notes must be at most 5000"),
        ({"assigned_to_id": "viewer"}, "assignedToId", "only views"),
    ],
)
async def test_bad_flags_are_refused(db, company, admin_caller, lists, values, field, message):
    customer = await new_customer(db, admin_caller)
    viewer = await add_user(db, company, "viewer@acme.example", Role.VIEWER)
    stand_ins = {
        "cause": lists.cause.id,
        "reason": lists.reason.id,
        "future": utcnow() + timedelta(days=1),
        "viewer": viewer.id,
    }
    given = {
        "customer_id": customer.id,
        "reason_id": lists.reason.id,
        "risk_level": RiskLevel.LOW,
        **{key: stand_ins.get(value, value) for key, value in values.items()},
    }
    with pytest.raises(ValidationFailed, match=message) as refused:
        await cases.flag_at_risk(db, admin_caller, given)
    assert refused.value.field == field
    page = await cases.list_cases(db, company.id, cases.CaseFilter())
    assert page.total_count == 0


async def test_only_active_entries_for_new_choices_but_a_case_keeps_its_own(
    db, admin_caller, lists
):
    customer = await new_customer(db, admin_caller)
    await picklists.update_entry(db, admin_caller.company_id, lists.other_reason.id, active=False)
    with pytest.raises(ValidationFailed, match='"Moving away" is inactive'):
        await flag(db, admin_caller, customer, lists.other_reason)
    case = await flag(db, admin_caller, customer, lists.reason)
    await picklists.update_entry(db, admin_caller.company_id, lists.reason.id, active=False)
    # The case keeps its now-inactive Reason through other changes…
    kept = await cases.update_case(
        db, admin_caller, case.id, {"reason_id": lists.reason.id, "risk_level": RiskLevel.HIGH}
    )
    assert (kept.reason_id, kept.risk_level) == (lists.reason.id, RiskLevel.HIGH)
    # …but cannot switch to another inactive one.
    with pytest.raises(ValidationFailed, match="inactive"):
        await cases.update_case(db, admin_caller, case.id, {"reason_id": lists.other_reason.id})


async def test_a_cancelled_customer_is_not_flagged(db, admin_caller, lists):
    customer = await new_customer(db, admin_caller)
    case = await flag(db, admin_caller, customer, lists.reason)
    await cases.close_case(
        db, admin_caller, case.id, CaseStatus.LOST, resolution_id=lists.resolution.id
    )
    with pytest.raises(ValidationFailed, match="cancelled customer is not at risk"):
        await flag(db, admin_caller, customer, lists.reason)


# -- working a case ------------------------------------------------------------------------


async def test_an_open_case_changes_between_open_and_mitigated_only(db, admin_caller, lists):
    case = await flag(db, admin_caller, await new_customer(db, admin_caller), lists.reason)
    mitigated = await cases.update_case(
        db, admin_caller, case.id, {"status": CaseStatus.MITIGATED}, expected_version=1
    )
    assert (mitigated.status, mitigated.version) == (CaseStatus.MITIGATED, 2)
    with pytest.raises(ValidationFailed, match="OPEN or MITIGATED") as refused:
        await cases.update_case(db, admin_caller, case.id, {"status": CaseStatus.RESOLVED})
    assert refused.value.field == "status"
    with pytest.raises(VersionConflict):
        await cases.update_case(db, admin_caller, case.id, {"notes": "x"}, expected_version=1)
    cleared = await cases.update_case(
        db, admin_caller, case.id, {"notes": "Call back Friday", "follow_up_at": None}
    )
    assert (cleared.notes, cleared.follow_up_at) == ("Call back Friday", None)


async def test_assignees_and_savers_are_active_workers_of_the_same_company(
    db, company, other_company, admin_caller, lists
):
    case = await flag(db, admin_caller, await new_customer(db, admin_caller), lists.reason)
    agent = await add_user(db, company, "agent@acme.example", Role.AGENT)
    stranger = await add_user(db, other_company, "admin@beta.example", Role.ADMIN)
    assigned = await cases.update_case(db, admin_caller, case.id, {"assigned_to_id": agent.id})
    assert assigned.assigned_to_id == agent.id
    with pytest.raises(ValidationFailed, match="No person of your company") as refused:
        await cases.update_case(db, admin_caller, case.id, {"assigned_to_id": stranger.id})
    assert refused.value.field == "assignedToId"
    with pytest.raises(ValidationFailed, match="No person of your company"):
        await cases.close_case(
            db,
            admin_caller,
            case.id,
            CaseStatus.RESOLVED,
            resolution_id=lists.resolution.id,
            saved_by_id=stranger.id,
        )


async def test_attempts_and_credits_belong_to_the_case(db, admin_caller, lists):
    case = await flag(db, admin_caller, await new_customer(db, admin_caller), lists.reason)
    earlier = utcnow() - timedelta(hours=2)
    await cases.add_attempt(
        db, admin_caller, case.id, ContactChannel.PHONE, "Left a message", earlier
    )
    after = await cases.add_attempt(db, admin_caller, case.id, ContactChannel.EMAIL, "Sent offer")
    assert after.version == 3
    with pytest.raises(ValidationFailed, match="Note is required") as empty:
        await cases.add_attempt(db, admin_caller, case.id, ContactChannel.SMS, "  ")
    assert empty.value.field == "note"
    credited = await cases.add_credit(
        db, admin_caller, case.id, 1500, lists.credit_reason.id, "Goodwill"
    )
    assert credited.version == 4
    with pytest.raises(ValidationFailed, match=r"more than 0\.00"):
        await cases.add_credit(db, admin_caller, case.id, 0, lists.credit_reason.id)
    with pytest.raises(ValidationFailed, match="No Credit Reason"):
        await cases.add_credit(db, admin_caller, case.id, 100, lists.reason.id)
    async with db.read() as session:
        credits = list((await session.execute(select(Credit))).scalars())
    assert [(c.amount_cents, c.note, c.by_id) for c in credits] == [
        (1500, "Goodwill", admin_caller.user_id)
    ]


# -- closing and reopening -------------------------------------------------------------------


async def test_a_save_needs_a_resolution_and_keeps_at_most_the_rmr_at_risk(db, admin_caller, lists):
    case = await flag(
        db, admin_caller, await new_customer(db, admin_caller, rmr_cents=4990), lists.reason
    )
    with pytest.raises(ValidationFailed, match="Choose the Resolution") as missing:
        await cases.close_case(db, admin_caller, case.id, CaseStatus.RESOLVED)
    assert missing.value.field == "resolutionId"
    with pytest.raises(ValidationFailed, match="cannot be more than"):
        await cases.close_case(
            db,
            admin_caller,
            case.id,
            CaseStatus.RESOLVED,
            resolution_id=lists.resolution.id,
            rmr_retained_cents=5000,
        )
    saved = await cases.close_case(
        db,
        admin_caller,
        case.id,
        CaseStatus.RESOLVED,
        resolution_id=lists.resolution.id,
        rmr_retained_cents=2500,
        expected_version=1,
    )
    assert (saved.status, saved.rmr_retained_cents, saved.saved_by_id) == (
        CaseStatus.RESOLVED,
        2500,
        admin_caller.user_id,
    )
    assert saved.closed_at is not None
    with pytest.raises(ValidationFailed, match="resolved already"):
        await cases.close_case(
            db, admin_caller, case.id, CaseStatus.LOST, resolution_id=lists.resolution.id
        )
    with pytest.raises(ValidationFailed, match="reopen it before changing"):
        await cases.update_case(db, admin_caller, case.id, {"notes": "late"})


async def test_a_loss_cancels_the_customer_and_reopening_restores_it(db, admin_caller, lists):
    customer = await new_customer(db, admin_caller)
    case = await flag(db, admin_caller, customer, lists.reason)
    lost = await cases.close_case(
        db, admin_caller, case.id, CaseStatus.LOST, resolution_id=lists.resolution.id
    )
    assert lost.rmr_retained_cents == 0
    cancelled = await customers.get_customer(db, admin_caller.company_id, customer.id)
    assert cancelled is not None
    assert (cancelled.status, cancelled.version) == (CustomerStatus.CANCELLED, 2)
    reopened = await cases.reopen_case(db, admin_caller, case.id, expected_version=lost.version)
    assert (
        reopened.status,
        reopened.closed_at,
        reopened.resolution_id,
        reopened.rmr_retained_cents,
    ) == (
        CaseStatus.OPEN,
        None,
        None,
        None,
    )
    active = await customers.get_customer(db, admin_caller.company_id, customer.id)
    assert active is not None
    assert (active.status, active.version) == (CustomerStatus.ACTIVE, 3)


async def test_a_withdrawn_case_needs_no_resolution_and_a_reopen_respects_the_open_one(
    db, admin_caller, lists
):
    customer = await new_customer(db, admin_caller)
    mistake = await flag(db, admin_caller, customer, lists.reason)
    withdrawn = await cases.close_case(db, admin_caller, mistake.id, CaseStatus.CANCELLED)
    assert (withdrawn.status, withdrawn.rmr_retained_cents) == (CaseStatus.CANCELLED, None)
    current = await flag(db, admin_caller, customer, lists.reason)
    with pytest.raises(OpenCaseExists) as exists:
        await cases.reopen_case(db, admin_caller, mistake.id)
    assert exists.value.open_case.id == current.id
    with pytest.raises(ValidationFailed, match="open already"):
        await cases.reopen_case(db, admin_caller, current.id)


# -- the work queue --------------------------------------------------------------------------


async def test_the_queue_orders_filters_and_pages(db, company, admin_caller, lists):
    agent = await add_user(db, company, "agent@acme.example", Role.AGENT)
    now = utcnow()
    made = []
    for number, (hours, risk, rmr) in enumerate(
        [
            (5, RiskLevel.LOW, 1000),
            (None, RiskLevel.HIGH, 9000),
            (1, RiskLevel.MEDIUM, 5000),
            (None, RiskLevel.LOW, 3000),
            (3, RiskLevel.HIGH, 2000),
        ]
    ):
        customer = await new_customer(db, admin_caller, f"C{number}", rmr)
        follow_up = None if hours is None else now + timedelta(hours=hours)
        made.append(
            await flag(
                db,
                admin_caller,
                customer,
                lists.reason,
                follow_up_at=follow_up,
                risk_level=risk,
                assigned_to_id=agent.id if number % 2 else None,
            )
        )
    ids = lambda page: [made.index(next(c for c in made if c.id == row.id)) for row in page.nodes]  # noqa: E731

    everything = cases.CaseFilter()

    async def listed(order=CaseOrder.FOLLOW_UP, where=everything, first=50):
        seen, cursor = [], None
        while True:
            page = await cases.list_cases(
                db, company.id, where, order, first=first, after_cursor=cursor
            )
            seen += ids(page)
            if not page.has_next_page:
                return seen, page.total_count
            cursor = page.end_cursor

    # Cases without a follow-up come last, in id order (the tie-breaker of every order).
    no_follow_up = sorted([1, 3], key=lambda index: made[index].id)
    assert await listed() == ([2, 4, 0, *no_follow_up], 5)
    assert await listed(first=2) == ([2, 4, 0, *no_follow_up], 5)
    assert (await listed(CaseOrder.RMR_HIGHEST, first=2))[0] == [1, 2, 3, 4, 0]
    assert (await listed(CaseOrder.RISK_HIGHEST, first=1))[0] == [4, 1, 2, 0, 3]
    assert (await listed(CaseOrder.REPORTED_NEWEST, first=3))[0] == [4, 3, 2, 1, 0]
    assert await listed(where=cases.CaseFilter(assigned_to=agent.id)) == (no_follow_up, 2)
    assert await listed(where=cases.CaseFilter(unassigned=True)) == ([2, 4, 0], 3)
    assert await listed(where=cases.CaseFilter(risk_level=[RiskLevel.HIGH])) == ([4, 1], 2)
    soon = cases.CaseFilter(follow_up_before=now + timedelta(hours=4))
    assert await listed(where=soon) == ([2, 4], 2)
    await cases.close_case(db, admin_caller, made[2].id, CaseStatus.CANCELLED)
    assert await listed(where=cases.CaseFilter(open=True)) == ([4, 0, *no_follow_up], 4)
    assert await listed(where=cases.CaseFilter(status=[CaseStatus.CANCELLED])) == ([2], 1)
    assert await listed(where=cases.CaseFilter(reason="not an id")) == ([], 0)


async def test_the_queue_by_resolution_credit_reason_and_period(
    db, admin_caller, lists, other_company
):
    now = utcnow()
    # At noon UTC, so that it falls on the same day in New York whatever the time now.
    old = (now - timedelta(days=40)).replace(hour=12, minute=0, second=0, microsecond=0)
    # Reported at 03:00 UTC: still the evening before in New York.
    evening = (old - timedelta(days=1)).replace(hour=3, minute=0, second=0, microsecond=0)

    async def case_of(name, reported_at):
        customer = await new_customer(db, admin_caller, name)
        return await flag(db, admin_caller, customer, lists.reason, reported_at=reported_at)

    saved = await case_of("Saved", old)
    credited = await case_of("Credited", evening)
    recent = await case_of("Recent", now - timedelta(minutes=5))
    await cases.close_case(
        db, admin_caller, saved.id, CaseStatus.RESOLVED, resolution_id=lists.resolution.id
    )
    await cases.add_credit(db, admin_caller, credited.id, 500, lists.credit_reason.id)
    other_lists = await lists_of(db, other_company)

    async def listed(timezone="UTC", **where):
        page = await cases.list_cases(
            db, admin_caller.company_id, cases.CaseFilter(**where), timezone=timezone
        )
        return sorted(row.id for row in page.nodes)

    assert await listed(resolution=lists.resolution.id) == [saved.id]
    assert await listed(credit_reason=lists.credit_reason.id) == [credited.id]
    # Another company's entries, and ids that are no one's, match nothing.
    assert await listed(resolution=other_lists.resolution.id) == []
    assert await listed(credit_reason=other_lists.credit_reason.id) == []
    assert await listed(credit_reason="not an id") == []
    # Reported or closed in the period: "Saved" was reported long ago and closed today.
    today = now.date()
    assert await listed(from_=today, to=today) == sorted([saved.id, recent.id])
    assert await listed(from_=today) == sorted([saved.id, recent.id])
    assert await listed(to=old.date()) == sorted([saved.id, credited.id])
    # Days are the company's: 03:00 UTC is the evening before in New York.
    day = evening.date()
    assert await listed(from_=day, to=day) == [credited.id]
    before = day - timedelta(days=1)
    assert await listed("America/New_York", from_=day, to=day) == []
    assert await listed("America/New_York", from_=before, to=before) == [credited.id]
    with pytest.raises(ValidationFailed, match="ends before it starts") as refused:
        await listed(from_=today, to=before)
    assert refused.value.field == "to"


# -- entries in use ------------------------------------------------------------------------


async def test_usage_counts_and_delete_with_replace(db, admin_caller, lists):
    company_id = admin_caller.company_id
    one = await flag(db, admin_caller, await new_customer(db, admin_caller, "A"), lists.reason)
    two = await flag(db, admin_caller, await new_customer(db, admin_caller, "B"), lists.reason)
    await cases.add_credit(db, admin_caller, one.id, 500, lists.credit_reason.id)
    async with db.read() as session:
        usage = await picklists.usage_counts(
            session, company_id, [lists.reason.id, lists.credit_reason.id, lists.cause.id]
        )
    assert usage == {lists.reason.id: 2, lists.credit_reason.id: 1}
    with pytest.raises(EntryInUse) as in_use:
        await picklists.delete_entry(db, company_id, lists.reason.id)
    assert in_use.value.usage_count == 2
    for wrong in (lists.cause.id, lists.reason.id, "f" * 32):  # another category, itself, none
        with pytest.raises(NotFound, match="No other Reason has the id") as refused:
            await picklists.delete_entry(db, company_id, lists.reason.id, replace_with=wrong)
        assert refused.value.entry_id == wrong
    await picklists.delete_entry(
        db, company_id, lists.reason.id, replace_with=lists.other_reason.id
    )
    for case_id, version in ((one.id, 3), (two.id, 2)):  # `one` had its credit: version 2
        moved = await cases.get_case(db, company_id, case_id)
        assert moved is not None
        assert (moved.reason_id, moved.version) == (lists.other_reason.id, version)
    assert await picklists.get_entry(db, company_id, lists.reason.id) is None
    # An unused entry goes at once; a credit reason in use moves its credits.
    await picklists.delete_entry(db, company_id, lists.cause.id)
    spare = await picklists.add_entry(db, company_id, Category.CREDIT_REASON, "Fee refunded")
    await picklists.delete_entry(db, company_id, lists.credit_reason.id, replace_with=spare.id)
    async with db.read() as session:
        assert (await session.scalar(select(Credit.credit_reason_id))) == spare.id
