// The GraphQL document of the Reports page: the report by the chosen grouping, and the same
// period by month for the trend line, in one request.

import { ME } from "../../lib/session.js";

const ROW = `key label opened saved lost withdrawn rmrAtRisk rmrSaved rmrLost credited
  saveRate averageDaysToClose`;

export const REPORT = `
  query RetentionReport($from: Date!, $to: Date!, $groupBy: ReportGrouping!) {
    ${ME}
    report: retentionReport(from: $from, to: $to, groupBy: $groupBy) {
      from to groupBy
      totals { ${ROW} }
      rows { ${ROW} }
      openNow { cases rmrAtRisk overdueFollowUps }
    }
    trend: retentionReport(from: $from, to: $to, groupBy: MONTH) {
      rows { ${ROW} }
    }
  }`;
