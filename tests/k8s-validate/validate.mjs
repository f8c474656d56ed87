// Validates offline what is deployed beside the services; prints {"objects": [...], "problems": [...]} as JSON.
//   node validate.mjs k8s FILE      every object of a multi-document YAML file (kustomize's output): Kubernetes objects against
//                                   the kubernetes-models schemas, CloudNativePG's against @kubernetes-models/cloudnative-pg,
//                                   RabbitmqCluster against schemas/rabbitmqcluster.json; a kind none of them knows is a problem.
//                                   The models' JSON schemas pass fields they do not know (a misspelt readOnlyRootFilesystem
//                                   would be dropped by the API server, or refused by its strict field validation), so the
//                                   objects are also type-checked by TypeScript against the same packages' types, whose
//                                   excess-property check names every unknown field.
//   node validate.mjs compose FILE  a docker-compose file against the Compose specification's JSON schema (as dclint ships it).
// Exit 0 when it could check (problems or not), 2 when it could not.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import ts from "typescript";
import { parseAllDocuments } from "yaml";
import Ajv from "ajv";
import addFormats from "ajv-formats";

const [mode, file] = process.argv.slice(2);
const text = readFileSync(file, "utf8");

function documents() {
  // Merge keys (<<: *anchor) as Compose reads them.
  const parsed = parseAllDocuments(text, { merge: true });
  const errors = parsed.flatMap(doc => doc.errors.map(e => e.message));
  if (errors.length > 0) throw new Error(`not YAML: ${errors.join("; ")}`);
  return parsed.map(doc => doc.toJS()).filter(doc => doc !== null);
}

function ajvProblems(validate, data) {
  return validate(data) ? [] : validate.errors.map(e => `${e.instancePath || "/"} ${e.message}${e.params?.additionalProperty ? `: ${e.params.additionalProperty}` : ""}`);
}

const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const rabbitmqCluster = ajv.compile(JSON.parse(readFileSync(new URL("./schemas/rabbitmqcluster.json", import.meta.url))));

function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  return group === "postgresql.cnpg.io"
    ? `@kubernetes-models/cloudnative-pg/${group}/${version}/${kind}`
    : group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

async function modelOf(apiVersion, kind) {
  try {
    return (await import(modulePath(apiVersion, kind)))[kind];
  } catch {
    return undefined;
  }
}

// Each object as an object literal typed with its model's interface (I<Kind>); TypeScript reports every field the type lacks.
function unknownFieldProblems(objects) {
  const lines = [];
  const owners = [];
  objects.forEach((object, i) => {
    lines.push(`import type { I${object.kind} as T${i} } from "${modulePath(object.apiVersion, object.kind)}";`);
    owners.push([lines.length, `${object.kind}/${object.metadata?.name}`]);
    lines.push(...`export const o${i}: T${i} = ${JSON.stringify(object, null, 1)};`.split("\n"));
  });
  // Beside node_modules, so the packages' types resolve.
  const folder = new URL("./.check/", import.meta.url).pathname;
  mkdirSync(folder, { recursive: true });
  const file = `${folder}${randomUUID()}.ts`;
  writeFileSync(file, lines.join("\n"));
  try {
    const program = ts.createProgram([file], {
      noEmit: true, strict: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    });
    return ts.getPreEmitDiagnostics(program).map(d => {
      const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line : 0;
      const owner = owners.filter(([start]) => start <= line).at(-1)?.[1] ?? "?";
      return { object: owner, message: ts.flattenDiagnosticMessageText(d.messageText, " ") };
    });
  } finally {
    rmSync(file, { force: true });
  }
}

async function k8sProblems(object) {
  if (typeof object !== "object" || Array.isArray(object)) return ["not an object"];
  const { apiVersion, kind } = object;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return ["no apiVersion or kind"];
  if (apiVersion === "rabbitmq.com/v1beta1" && kind === "RabbitmqCluster") return ajvProblems(rabbitmqCluster, object);
  const Model = await modelOf(apiVersion, kind);
  if (Model === undefined) return [`no schema for ${apiVersion} ${kind}`];
  try {
    new Model(object).validate();
    return [];
  } catch (error) {
    return (error.errors ?? [error]).map(e => e.instancePath !== undefined ? `${e.instancePath || "/"} ${e.message}` : String(e.message ?? e));
  }
}

try {
  if (mode === "k8s") {
    const objects = documents();
    const problems = [];
    const typed = [];
    for (const object of objects) {
      const name = `${object?.kind}/${object?.metadata?.name}`;
      const found = await k8sProblems(object);
      for (const message of found) problems.push({ object: name, message });
      if (found.length === 0 && object.apiVersion !== "rabbitmq.com/v1beta1") typed.push(object);
    }
    if (typed.length > 0) problems.push(...unknownFieldProblems(typed));
    process.stdout.write(JSON.stringify({ objects, problems }));
  } else if (mode === "compose") {
    const [document] = documents();
    // dclint does not export the file; its draft-07 "$schema" address lacks the "#" that ajv knows it by.
    const { $schema, ...schema } = JSON.parse(readFileSync(new URL("./node_modules/dclint/schemas/compose.schema.json", import.meta.url)));
    const problems = ajvProblems(ajv.compile(schema), document).map(message => ({ object: "compose", message }));
    process.stdout.write(JSON.stringify({ objects: [document], problems }));
  } else {
    throw new Error("usage: validate.mjs k8s|compose FILE");
  }
} catch (error) {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(2);
}
