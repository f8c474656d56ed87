// The Assets feed's acceptance check with a standard OData v4 client: odata2ts generated AssetsService, its model and query
// objects from the feed's $metadata (run.sh); this file only compiles if the feed's entity types have the properties,
// types and enum members used here, and at run time it runs typed queries and follows @odata.nextLink.
// Env: ODATA_URL, TOKEN (staff), SCHOOL_ID and SERIAL_PREFIX of the devices tests/Assets.Tests/ODataClientTests registered:
// <prefix>-T1..T5 (tablets, 100..500 EUR) and <prefix>-C1, <prefix>-C2 (computer-room devices, 900 and 800 EUR).
import assert from "node:assert/strict";
import { FetchClient } from "@odata2ts/http-client-fetch";
import { ODataCollectionResponseV4 } from "@odata2ts/odata-core";
import { AssetsService } from "./generated/AssetsService";
import { Device, DeviceKind } from "./generated/AssetsModel";

const env = (name: string) => process.env[name] ?? assert.fail(`${name} is not set`);
const base = env("ODATA_URL").replace(/\/$/, "");
const school = env("SCHOOL_ID");
const prefix = env("SERIAL_PREFIX");

// Pages of two rows, so that paging happens with seven devices.
const client = new FetchClient({
  headers: { Authorization: `Bearer ${env("TOKEN")}`, "OData-Version": "4.0", "OData-MaxVersion": "4.0", Prefer: "odata.maxpagesize=2" },
});
const assets = new AssetsService(client, base);

async function rest<T>(first: ODataCollectionResponseV4<T>): Promise<T[]> {
  const rows = [...first.value];
  for (let next = first["@odata.nextLink"]; next; ) {
    const page = await client.get<ODataCollectionResponseV4<T>>(new URL(next, `${base}/`).toString());
    rows.push(...page.data.value);
    next = page.data["@odata.nextLink"];
  }
  return rows;
}

async function main() {
  // $filter on a Guid, $orderby, $count=true; server-driven paging through @odata.nextLink.
  const all = await assets.Devices().query((b, q) => b.filter(q.SchoolId.eq(school)).orderBy(q.Serial.asc()).count());
  assert.equal(all.data["@odata.count"], 7);
  assert.equal(all.data.value.length, 2);
  const devices = await rest<Device>(all.data);
  assert.deepEqual(devices.map((d) => d.Serial), ["C1", "C2", "T1", "T2", "T3", "T4", "T5"].map((s) => `${prefix}-${s}`));
  console.log("filter + orderby + count + nextLink paging: 7 devices in 4 pages");

  // $filter on an enum (the generated DeviceKind) and a decimal.
  const tablets = await assets.Devices().query((b, q) => b.filter(q.SchoolId.eq(school), q.Kind.eq(DeviceKind.Tablet), q.PurchasePrice.gt(150)).count());
  assert.equal(tablets.data["@odata.count"], 4);
  console.log("filter on enum and decimal: 4 tablets over 150 EUR");

  // $select (typed: only properties of Device compile), $orderby desc, $top, $skip.
  const priced = await assets.Devices().query<Pick<Device, "Serial" | "PurchasePrice">>((b, q) =>
    b.select("Serial", "PurchasePrice").filter(q.SchoolId.eq(school)).orderBy(q.PurchasePrice.desc()).top(3).skip(1));
  const page = await rest(priced.data);
  assert.deepEqual(page.map((d) => [d.Serial, d.PurchasePrice]), [[`${prefix}-C2`, 800], [`${prefix}-T5`, 500], [`${prefix}-T4`, 400]]);
  assert.deepEqual(Object.keys(page[0]).filter((k) => !k.startsWith("@")).sort(), ["PurchasePrice", "Serial"]);
  console.log("select + orderby desc + top + skip: C2, T5, T4");

  // $filter on a string, then the key lookup of what it found.
  const found = await assets.Devices().query((b, q) => b.filter(q.Serial.eq(`${prefix}-T3`)));
  assert.equal(found.data.value.length, 1);
  const one = await assets.Devices(found.data.value[0].Id).query();
  assert.equal(one.data.Serial, `${prefix}-T3`);
  assert.equal(one.data.Kind, DeviceKind.Tablet);
  console.log("filter on string + key lookup: T3");

  console.log("ALL CHECKS PASSED");
}

main().catch((error) => {
  console.error("FAILED:", error);
  process.exit(1);
});
