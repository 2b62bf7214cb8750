// Offline schema check of Kubernetes manifests, no cluster needed (`make lint-deploy`).
//
//   node check-manifests.mjs rendered-gateway.yaml deployment.yaml ...
//
// Two passes over every document, because neither catches everything alone:
//  1. kubernetes-models' validators (the API's OpenAPI schema compiled with ajv): types, required
//     fields, enums and formats.
//  2. The same package's TypeScript types, through `tsc --noEmit`: an object literal may only
//     name known properties, so a misspelt field ("readOnlyRootFileSystem") is an error here,
//     where the schema (which allows unknown fields, as the API server's lenient mode does)
//     lets it through.
// Prints one line per problem; exits 1 when there is any.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { DaemonSet, Deployment } from "kubernetes-models/apps/v1";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { ConfigMap, Secret, Service } from "kubernetes-models/v1";

const here = dirname(fileURLToPath(import.meta.url));

// apiVersion/kind -> [model class, module of its TypeScript type, type name]. A kind not listed
// is an error: a manifest nobody checks is exactly what this tool is for.
const models = {
  "apps/v1/Deployment": [Deployment, "kubernetes-models/apps/v1/Deployment", "IDeployment"],
  "apps/v1/DaemonSet": [DaemonSet, "kubernetes-models/apps/v1/DaemonSet", "IDaemonSet"],
  "v1/Service": [Service, "kubernetes-models/v1/Service", "IService"],
  "v1/ConfigMap": [ConfigMap, "kubernetes-models/v1/ConfigMap", "IConfigMap"],
  "v1/Secret": [Secret, "kubernetes-models/v1/Secret", "ISecret"],
  "autoscaling/v2/HorizontalPodAutoscaler": [
    HorizontalPodAutoscaler, "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler",
    "IHorizontalPodAutoscaler"],
  "policy/v1/PodDisruptionBudget": [
    PodDisruptionBudget, "kubernetes-models/policy/v1/PodDisruptionBudget", "IPodDisruptionBudget"],
};

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node check-manifests.mjs FILE...");
  process.exit(2);
}

const problems = [];
const typed = []; // {label, type module, type name, object}
let count = 0;
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) problems.push(`${file}: YAML: ${e.message}`);
      continue;
    }
    const obj = doc.toJS();
    if (obj === null || obj === undefined) continue; // an empty document
    count += 1;
    const label = `${basename(file)}: ${obj.kind} ${obj.metadata?.name ?? "(no name)"}`;
    const model = models[`${obj.apiVersion}/${obj.kind}`];
    if (!model) {
      problems.push(`${label}: no schema for ${obj.apiVersion} ${obj.kind}`);
      continue;
    }
    const [Model, typeModule, typeName] = model;
    try {
      new Model(obj).validate();
    } catch (err) {
      problems.push(`${label}: ${err.message}`);
    }
    typed.push({ label, typeModule, typeName, obj });
  }
}

// Pass 2: one .ts file per document, inside this folder so that node_modules resolves.
const tmp = mkdtempSync(join(here, ".check-"));
try {
  const tsFiles = typed.map((t, i) => {
    const path = join(tmp, `doc${i}.ts`);
    writeFileSync(path, `import type { ${t.typeName} } from "${t.typeModule}";\n` +
      `const manifest: ${t.typeName} = ${JSON.stringify(t.obj, null, 2)};\nexport default manifest;\n`);
    return path;
  });
  if (tsFiles.length > 0) {
    const tsc = join(here, "node_modules/typescript/bin/tsc");
    try {
      execFileSync(process.execPath, [tsc, "--noEmit", "--strict", "--skipLibCheck", "--module", "nodenext",
        "--moduleResolution", "nodenext", "--pretty", "false", ...tsFiles], { encoding: "utf8" });
    } catch (err) {
      // "…/doc3.ts(12,7): error TS2353: Object literal may only specify known properties, …"
      for (const line of String(err.stdout).split("\n")) {
        const m = line.match(/doc(\d+)\.ts\((\d+),\d+\): error TS\d+: (.*)/);
        if (m) problems.push(`${typed[Number(m[1])].label}: ${m[3]}`);
        else if (line.trim()) problems.push(line.trim());
      }
    }
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

for (const p of problems) console.log(p);
console.log(`check-manifests: ${count} document(s) in ${files.length} file(s), ${problems.length} problem(s)`);
process.exit(problems.length > 0 ? 1 : 0);
