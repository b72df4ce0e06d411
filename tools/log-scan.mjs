// Scans the test suite's Debug log (test.sh: CX_TEST_LOG_FILE) for personal data: any email address but the clinic's
// sender, the names, comments and notes the tests and the demo seed give customers, phone numbers and dates of birth.
// node tools/log-scan.mjs LOG_FILE   Exit code 1, with the first 20 offending lines, when it finds any.
import { createReadStream, existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { createInterface } from "node:readline";
import { join } from "node:path";

const root = join(import.meta.dirname, "..");
const logFile = process.argv[2];
if (!logFile) {
  console.error("usage: node tools/log-scan.mjs LOG_FILE");
  process.exit(2);
}

// Not a person's: the address the clinic's emails come from, and the made-up addresses HostileInputTests sends as
// attack strings in URLs (framework Debug lines print request paths; production keeps those categories at Warning).
const allowedEmails = new Set(["appointments@northside-imaging.example"]);
const attackString = /@(?:hostile-[0-9a-f]{32}|evil)\.example$/i;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "bin" || entry.name === "obj" ? [] : sources(path);
    return entry.name.endsWith(".cs") ? [readFileSync(path, "utf8")] : [];
  });
}

const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const tests = sources(join(root, "tests"));
const demo = readFileSync(join(root, "src/CustomerExperience.Web/Data/DemoData.cs"), "utf8");

// What the tests call their customers, and the free text they write about them (12+ characters: a phrase, not a word).
const literals = new Set();
for (const text of tests) {
  for (const m of text.matchAll(/\b(?:FullName|fullName|PreferredName|preferredName)\s*[=:]\s*"([^"{]{4,})"/g)) literals.add(m[1]);
  for (const m of text.matchAll(/\b(?:Comment|comment|WhatHappened|whatHappened|Note|note|Notes|notes)\s*[=:]\s*"([^"{]{12,})"/g)) literals.add(m[1]);
}
// The demo seed's customers are "First [M. ]Last"; its notes and comments are whole sentences.
const names = (field) => [...(demo.match(new RegExp(`${field}\\s*=\\s*\\[([^\\]]*)\\]`))?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
const [first, last] = [names("FirstNames"), names("LastNames")];
if (first.length === 0 || last.length === 0) throw new Error("DemoData.cs: FirstNames or LastNames not found");
for (const m of demo.matchAll(/^\s*(?:\(\[[^\]]*\],\s*)?"([^"{]{30,})"/gm)) literals.add(m[1]);

const checks = [
  ["email address", /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, (match) => !allowedEmails.has(match.toLowerCase()) && !attackString.test(match)],
  ["demo customer name", new RegExp(`\\b(?:${first.map(escape).join("|")}) (?:[A-Z]\\. )?(?:${last.map(escape).join("|")})\\b`, "g")],
  ["test customer name or text", new RegExp([...literals].map(escape).join("|"), "g")],
  ["phone number", /\+1 \d{3} 555 \d{4}|\(\d{3}\) 555-\d{4}|\b\d{3}-555-\d{4}\b/g],
  ["date of birth", /\b19\d\d-[01]\d-[0-3]\d\b|\b[0-3]?\d\/[0-3]?\d\/19\d\d\b/g],
];

if (!existsSync(logFile) || statSync(logFile).size === 0) {
  console.log(`log scan: ${logFile} is empty (no test host ran); nothing to scan`);
  process.exit(0);
}

let lines = 0;
const found = [];
const reader = createInterface({ input: createReadStream(logFile, "utf8"), crlfDelay: Infinity });
for await (const line of reader) {
  lines++;
  for (const [what, pattern, keep = () => true] of checks) {
    const hit = [...line.matchAll(pattern)].map((m) => m[0]).find(keep);
    if (hit) {
      found.push(`${what} "${hit}": ${line.length > 300 ? line.slice(0, 300) + "…" : line}`);
      break;
    }
  }
}

const size = (statSync(logFile).size / 1024 / 1024).toFixed(1);
if (found.length === 0) {
  console.log(`log scan: ${lines} lines (${size} MB) at Debug, no personal data`);
  process.exit(0);
}
console.log(`log scan: ${found.length} of ${lines} lines carry personal data; the first ${Math.min(found.length, 20)}:`);
for (const line of found.slice(0, 20)) console.log(`  ${line}`);
process.exit(1);
