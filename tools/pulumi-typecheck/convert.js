// Converts a Pulumi YAML (or JSON) program into TypeScript typed with the official provider SDKs, so that
// `tsc --noEmit` checks every resource type, property name, property type and required property offline.
//   resources  -> `const r_x = new aws.ec2.Instance("x", {...}, {provider: r_p, ...})`
//   ${res.out} -> the real typed output (`r_res.out`), so a misspelled output fails too
//   variables  -> fn::invoke becomes the SDK's typed `...Output(args, {provider})` function
//   config     -> `new pulumi.Config().requireSecret(...)` (secret) or `.require(...)`
"use strict";
const yaml = require("js-yaml");

const PACKAGES = ["aws", "azure", "random", "tls", "command"];

function identifier(prefix, name, used) {
  let id = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, "_")}`;
  while (used.has(id) && used.get(id) !== name) id += "_";
  used.set(id, name);
  return id;
}

// "aws:ec2:Instance" -> "aws.ec2.Instance"; "random:index:RandomPassword" -> "random.RandomPassword";
// "aws:s3/bucket:Bucket" -> "aws.s3.Bucket"; "pulumi:providers:aws" -> "aws.Provider".
function sdkName(token) {
  const parts = token.split(":");
  if (parts.length !== 3) throw new Error(`'${token}' is not a type token`);
  const [pkg, mod, member] = parts;
  if (pkg === "pulumi" && mod === "providers") return `${member}.Provider`;
  const module = mod.split("/")[0];
  return module === "index" ? `${pkg}.${member}` : `${pkg}.${module}.${member}`;
}

// Splits "a$${b}${c.d}" into literal text and references, with Pulumi YAML's rules ("$$" is a literal "$").
function parseInterpolation(text) {
  const parts = [];
  let literal = "";
  for (let i = 0; i < text.length; ) {
    if (text.startsWith("$$", i)) { literal += "$"; i += 2; continue; }
    if (text.startsWith("${", i)) {
      const end = text.indexOf("}", i);
      if (end < 0) throw new Error(`unterminated \${ in: ${text.slice(i, i + 40)}`);
      if (literal) parts.push({ text: literal });
      literal = "";
      parts.push({ ref: text.slice(i + 2, end) });
      i = end + 1;
      continue;
    }
    literal += text[i++];
  }
  if (literal || parts.length === 0) parts.push({ text: literal });
  return parts;
}

function convert(template) {
  const used = new Map();
  const names = new Map(); // logical name -> TS identifier
  const resources = template.resources || {};
  const variables = template.variables || {};
  const config = template.config || template.configuration || {};
  for (const name of Object.keys(resources)) names.set(name, identifier("r", name, used));
  for (const name of Object.keys(variables)) names.set(name, identifier("v", name, used));
  for (const name of Object.keys(config)) names.set(name, identifier("c", name, used));
  const deps = new Map();

  function ref(path, from) {
    const [root, ...rest] = path.split(".");
    if (!names.has(root)) throw new Error(`\${${path}} refers to '${root}', which is not defined`);
    if (from) deps.get(from).add(root);
    return [names.get(root), ...rest].join(".");
  }

  function value(v, from) {
    if (v === null || v === undefined) return "undefined";
    if (typeof v === "number" || typeof v === "boolean") return JSON.stringify(v);
    if (typeof v === "string") {
      const parts = parseInterpolation(v);
      if (parts.length === 1 && parts[0].text !== undefined) return JSON.stringify(parts[0].text);
      if (parts.length === 1) return ref(parts[0].ref, from);
      const body = parts.map(p => (p.text !== undefined ? p.text.replace(/[`\\]/g, "\\$&").replace(/\$\{/g, "\\${") : `\${${ref(p.ref, from)}}`)).join("");
      return `pulumi.interpolate\`${body}\``;
    }
    if (Array.isArray(v)) return `[${v.map(x => value(x, from)).join(", ")}]`;
    const keys = Object.keys(v);
    const fn = keys.find(k => k.startsWith("fn::"));
    if (fn) {
      if (keys.length !== 1) throw new Error(`${fn} must be the only key of its map`);
      return builtin(fn, v[fn], from);
    }
    return `{ ${keys.map(k => `${JSON.stringify(k)}: ${value(v[k], from)}`).join(", ")} }`;
  }

  function builtin(fn, arg, from) {
    switch (fn) {
      case "fn::toJSON": return `pulumi.jsonStringify(pulumi.output(${value(arg, from)}))`;
      case "fn::secret": return `pulumi.secret(${value(arg, from)})`;
      case "fn::toBase64": return `pulumi.output(${value(arg, from)}).apply(s => Buffer.from(s).toString("base64"))`;
      case "fn::join": return `pulumi.all(${value(arg[1], from)}).apply(xs => xs.join(${value(arg[0], from)}))`;
      case "fn::invoke": {
        const name = sdkName(arg.function);
        // A function without arguments (azure:core:getClientConfig) takes only the options.
        const call = arg.arguments === undefined
          ? `${name}Output(${value(arg.options || {}, from)})`
          : `${name}Output(${value(arg.arguments, from)}, ${value(arg.options || {}, from)})`;
        return arg.return ? `${call}.${arg.return}` : call;
      }
      default: throw new Error(`${fn} has no TypeScript translation here`);
    }
  }

  const decls = new Map(); // logical name -> TS statement
  for (const [name, c] of Object.entries(config)) {
    deps.set(name, new Set());
    const method = c.secret ? "requireSecret" : "require";
    decls.set(name, `const ${names.get(name)} = new pulumi.Config().${method}(${JSON.stringify(name)});`);
  }
  for (const [name, v] of Object.entries(variables)) {
    deps.set(name, new Set());
    decls.set(name, `const ${names.get(name)} = ${value(v, name)};`);
  }
  for (const [name, r] of Object.entries(resources)) {
    deps.set(name, new Set());
    const unknown = Object.keys(r).filter(k => !["type", "properties", "options"].includes(k));
    if (unknown.length) throw new Error(`resource ${name}: keys ${unknown.join(", ")} have no translation`);
    const args = value(r.properties || {}, name);
    const options = value(r.options || {}, name);
    decls.set(name, `const ${names.get(name)} = new ${sdkName(r.type)}(${JSON.stringify(name)}, ${args}, ${options});`);
  }

  // Declarations in dependency order (as Pulumi evaluates them), so every const is defined before it is used.
  const ordered = [];
  const state = new Map();
  const visit = name => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") throw new Error(`dependency cycle through '${name}'`);
    state.set(name, "visiting");
    for (const d of deps.get(name)) visit(d);
    state.set(name, "done");
    ordered.push(name);
  };
  for (const name of decls.keys()) visit(name);

  const outputs = Object.entries(template.outputs || {}).map(([k, v]) => `export const ${identifier("o", k, used)} = ${value(v, null)};`);
  return [
    "// Generated by tools/pulumi-typecheck/convert.js from a synthesized HaInfra program. Type-checked, never run.",
    'import * as pulumi from "@pulumi/pulumi";',
    ...PACKAGES.map(p => `import * as ${p} from "@pulumi/${p}";`),
    "void [pulumi, " + PACKAGES.join(", ") + "];",
    "",
    ...ordered.map(n => decls.get(n)),
    "",
    ...outputs,
    "",
  ].join("\n");
}

function load(text) {
  const trimmed = text.trimStart();
  return trimmed.startsWith("{") ? JSON.parse(text) : yaml.load(text);
}

module.exports = { convert, load, sdkName, parseInterpolation };
