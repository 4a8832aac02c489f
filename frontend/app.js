// The app: which page each address shows, inside the shell. The server answers each of
// these paths with index.html (APP_PATHS in backend/atrisk/web/static.py; a test keeps the
// two lists equal), and Back and Forward move between them without a reload.

import { html, render, useStore } from "./lib/dom.js";
import { alias, location, matchPath, navigate } from "./lib/router.js";
import { allows, session } from "./lib/session.js";
import { CasesPage } from "./views/cases/CasesPage.js";
import { CustomerPage } from "./views/customers/CustomerPage.js";
import { CustomersPage } from "./views/customers/CustomersPage.js";
import { EntriesPage } from "./views/entries/EntriesPage.js";
import { NotFound } from "./views/shell/NotFound.js";
import { Shell } from "./views/shell/Shell.js";
import { SignIn } from "./views/shell/SignIn.js";

// Each page: its path, its name in the navigation, and the roles that may use it.
export const ROUTES = [
  { path: "/cases", nav: "Cases", roles: ["ADMIN", "AGENT", "VIEWER"], page: CasesPage },
  { path: "/customers", nav: "Customers", roles: ["ADMIN", "AGENT", "VIEWER"], page: CustomersPage },
  { path: "/customers/:id", roles: ["ADMIN", "AGENT", "VIEWER"], page: CustomerPage },
  {
    path: "/settings/at-risk-entries",
    nav: "At-Risk Entries",
    roles: ["ADMIN", "VIEWER"],
    page: EntriesPage,
  },
  // Part two's pages land here, each with its roles: "/reports", "/settings/users",
  // "/settings/tokens", "/settings/company", "/settings/history".
];

// Addresses that show another page's address: "/" opens the work queue, which every role
// may see.
export const ALIASES = { "/": "/cases" };

/** The route that shows `path`, with the values of its ":name" segments; or null. */
function routeOf(path) {
  for (const route of ROUTES) {
    const params = matchPath(route.path, path);
    if (params !== null) {
      return { route, params };
    }
  }
  return null;
}

function App() {
  const { path } = useStore(location);
  const { status, me } = useStore(session);
  const found = routeOf(path);
  const route = found?.route ?? null;
  let content;
  if (status === "signed-out") {
    content = html`<${SignIn} />`;
  } else if (route === null || (me !== null && !allows(me, route.roles))) {
    content = html`<${NotFound} />`;
  } else {
    content = html`<${route.page} key=${path} params=${found.params} />`;
  }
  return html`<${Shell} routes=${ROUTES} current=${route}>${content}</${Shell}>`;
}

for (const [from, to] of Object.entries(ALIASES)) {
  alias(from, to);
}
navigate(`${window.location.pathname}${window.location.search}`, { replace: true });
render(html`<${App} />`, document.getElementById("app"));
