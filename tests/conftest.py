pytest_plugins = [
    "tests.utils.fixtures",
    "tests.utils.browser",
    "tests.utils.live",
    "tests.utils.properties",
    "tests.utils.summary",
]
