// Relative times, durations and role rules as the integrations page shows them.
import { describe, expect, it } from "vitest";

import { canManage, canSync, chosenAdAccountIds, duration, frequencyLabel, relativeTime } from "./display";
import { connection } from "./test-fixtures";

const now = Date.parse("2026-11-27T15:00:00Z");

describe("relativeTime", () => {
  it("says how long ago or until, in the largest whole unit", () => {
    expect(relativeTime("2026-11-27T14:59:40Z", now)).toBe("just now");
    expect(relativeTime("2026-11-27T14:55:00Z", now)).toBe("5 minutes ago");
    expect(relativeTime("2026-11-27T17:00:00Z", now)).toBe("in 2 hours");
    expect(relativeTime("2026-11-26T15:00:00Z", now)).toBe("yesterday");
    expect(relativeTime("not a date", now)).toBe("not a date");
  });
});

describe("duration", () => {
  it("formats seconds, minutes and hours, and refuses a negative span", () => {
    expect(duration("2026-11-27T14:00:00Z", "2026-11-27T14:00:42Z")).toBe("42 s");
    expect(duration("2026-11-27T14:00:00Z", "2026-11-27T14:03:05Z")).toBe("3 min 5 s");
    expect(duration("2026-11-27T14:00:00Z", "2026-11-27T15:02:00Z")).toBe("1 h 2 min");
    expect(duration("2026-11-27T14:00:00Z", "2026-11-27T13:00:00Z")).toBeNull();
  });
});

describe("roles and labels", () => {
  it("lets owners and admins manage and analysts sync, as the router does", () => {
    expect([canManage("owner"), canManage("admin"), canManage("analyst"), canManage("viewer")]).toEqual([true, true, false, false]);
    expect([canSync("admin"), canSync("analyst"), canSync("viewer"), canSync(undefined)]).toEqual([true, true, false, false]);
    expect(frequencyLabel(60)).toBe("Every hour");
    expect(frequencyLabel(1440)).toBe("Once a day");
  });
});

describe("chosenAdAccountIds", () => {
  it("reads the stored Meta ad accounts, and an absent or empty list as every account", () => {
    expect(chosenAdAccountIds(connection({ settings: { ad_account_ids: ["act_1", "act_2"] } }))).toEqual(["act_1", "act_2"]);
    expect(chosenAdAccountIds(connection({ settings: { ad_account_ids: [] } }))).toBeNull();
    expect(chosenAdAccountIds(connection({ settings: {} }))).toBeNull();
  });
});
