pytest_plugins = ["tests.utils.fixtures", "tests.utils.browser"]
