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
import { ReportsPage } from "./views/reports/ReportsPage.js";
import { HistoryPage } from "./views/history/HistoryPage.js";
import { AccountPage } from "./views/settings/AccountPage.js";
import { CompanyPage } from "./views/settings/CompanyPage.js";
import { TokensPage } from "./views/settings/TokensPage.js";
import { UsersPage } from "./views/settings/UsersPage.js";
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
  { path: "/reports", nav: "Reports", roles: ["ADMIN", "AGENT", "VIEWER"], page: ReportsPage },
  { path: "/settings/users", nav: "People", roles: ["ADMIN"], page: UsersPage },
  { path: "/settings/tokens", nav: "API tokens", roles: ["ADMIN"], page: TokensPage },
  { path: "/settings/company", nav: "Company", roles: ["ADMIN"], page: CompanyPage },
  { path: "/settings/history", nav: "History", roles: ["ADMIN"], page: HistoryPage },
  { path: "/account", roles: ["ADMIN", "AGENT", "VIEWER"], page: AccountPage },
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
