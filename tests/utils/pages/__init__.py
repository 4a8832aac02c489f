"""Page helpers for the browser tests: each page's locators, found by role and name."""
