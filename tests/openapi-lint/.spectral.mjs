// The OpenAPI linter's ruleset: the OWASP API Security Top 10 (2023) rules as published, with the rules that do not fit the
// platform switched off (or narrowed), each with its reason. The documents are linted by each service's OpenApiLintTests
// (./mep test), which fail on any error.
import owasp from "@stoplight/spectral-owasp-ruleset";
import { defined } from "@stoplight/spectral-functions";

export default {
  extends: [owasp],
  rules: {
    // Asks every answer to declare Access-Control-Allow-Origin. The platform allows no cross-origin browser requests: its callers
    // are servers, scripts and the service desk's tools, and its one browser page (the jobs dashboard) is same-origin with a
    // SameSite=Strict session cookie. It sends no Access-Control-Allow-Origin header, so a document declaring one would be false;
    // a browser page of another origin is refused by the browser's same-origin policy, which is what is wanted.
    "owasp:api8:2023-define-cors-origin": "off",

    // Asks operations under "/admin" to use a security requirement no other operation uses. Admin operations are not a separate
    // API here: admins use the same staff token as everyone else and are told apart by the role in it, which each operation
    // declares (x-roles; OpenAPI 3.0 allows no role lists in a bearer requirement). Admin-only operations also live outside
    // "/admin" (school API keys, routing rules), so the path says nothing the roles do not; inventing a second scheme for the
    // same token would make the document less true, not more.
    "owasp:api5:2023-admin-security-unique": "off",

    // Narrowed to what callers send (replaced by mep:request-array-limit below). Every list a request may carry has a maximum,
    // declared on the request record and enforced by the validation. Lists in answers are as long as the data: a ticket's
    // history, a school's buildings and rooms, the schools of a report. Lists that can grow large are paged (a page holds at most
    // 200 items, and says so); where an answer's list has a fixed bound (the four milestones of a rollout) the document declares
    // it; elsewhere a maxItems would be a promise the service cannot keep.
    "owasp:api4:2023-array-limit": "off",
    "mep:request-array-limit": {
      description: "owasp:api4:2023-array-limit for request bodies and parameters: a list a caller sends must have a maximum.",
      message: "Schema of type array must specify maxItems.",
      severity: "error",
      given: [
        "$.paths[*][*].requestBody.content[*][?(@property === 'schema' && @ && @.type === 'array')]",
        "$.paths[*][*].requestBody.content[*].schema..[?(@ && @.type === 'array')]",
        "$.paths[*][*].parameters[?(@ && @.schema && @.schema.type === 'array')].schema",
      ],
      then: { field: "maxItems", function: defined },
    },
  },
  overrides: [
    {
      // A school holiday period's id is the sequence number of Support's calendar table. The rule asks for unguessable ids
      // against broken object-level authorization; a school holiday is not any caller's object: the calendar is the same for
      // everyone who may read it, and only admins may remove an entry (any entry). Guessing an id reveals nothing and permits
      // nothing that the role does not already permit. (The pointer's braces are percent-encoded, as a URI fragment wants them.)
      files: ["documents/*.json#/paths/~1api~1support~1sla~1school-holidays~1%7Bid%7D"],
      rules: { "owasp:api1:2023-no-numeric-ids": "off" },
    },
  ],
};
