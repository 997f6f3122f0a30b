#!/usr/bin/env node
// Security gates over synthesized CloudFormation templates, run by tests/Phoenix.Cdk.Tests:
//   node gates.js nag   <template.json>...   cdk-nag AwsSolutions (the templates loaded with CfnInclude)
//   node gates.js guard <template.json>...   cfn-guard with the Control Tower rules of @cdklabs/cdk-validator-cfnguard
// Prints one JSON object {gate, templates, findings:[{rule, resource, message, template}], suppressed:[...+reason]};
// exits 0 when it ran, whatever it found (the tests judge the findings).
// Suppressions are read from each resource's Metadata: cdk_nag.rules_to_suppress and guard.SuppressedRules.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

// cdk-nag 3 is a policy-validation plugin; validateScope runs it over the included templates directly. Suppressions
// keep cdk-nag 2's template metadata (cdk_nag.rules_to_suppress, reason required) and its meaning: a rule id
// without a [finding] suffix covers every finding of that rule on that resource.
function nag(templates) {
  const { App, DefaultStackSynthesizer, Stack } = require('aws-cdk-lib');
  const { CfnInclude } = require('aws-cdk-lib/cloudformation-include');
  const { AwsSolutionsChecks } = require('cdk-nag');
  const app = new App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'phoenix-nag-')) });
  const resourcesByStack = {};
  // Several app shapes may share stack names; number them so each template gets its own stack.
  for (const [index, file] of templates.entries()) {
    const name = `T${index}-${stackName(file)}`;
    const stack = new Stack(app, name, { synthesizer: new DefaultStackSynthesizer({ generateBootstrapVersionRule: false }) });
    new CfnInclude(stack, 'Template', { templateFile: file });
    resourcesByStack[name] = JSON.parse(fs.readFileSync(file, 'utf8')).Resources || {};
  }
  const report = new AwsSolutionsChecks(undefined, { verbose: false }).validateScope(app);
  const findings = [];
  const suppressed = [];
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      // constructPath is <stack>/Template/<logical id> (the CfnInclude above).
      const [template, , logicalId] = resource.constructPath.split('/');
      const metadata = ((resourcesByStack[template] || {})[logicalId] || {}).Metadata || {};
      const rules = ((metadata.cdk_nag || {}).rules_to_suppress) || [];
      const base = violation.ruleName.replace(/\[.*$/, '');
      const match = rules.find(r => (r.id === violation.ruleName || r.id === base) && typeof r.reason === 'string' && r.reason.length >= 10);
      const finding = { rule: violation.ruleName, resource: logicalId, message: (violation.description || '').split('\n')[0], template };
      if (match) suppressed.push({ ...finding, reason: match.reason });
      else findings.push(finding);
    }
  }
  return { findings, suppressed };
}

function stackName(file) {
  return path.basename(file).replace(/\.template\.json$/, '').replace(/[^A-Za-z0-9-]/g, '-');
}

// cfn-guard honours Metadata.guard.SuppressedRules only for rules written to check it; the Control Tower rules are
// not, so the suppressions are applied here, each needing its reason under Metadata.phoenix_guard_reasons.
function guard(templates) {
  const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
  const report = new CfnGuardValidator({ controlTowerRulesEnabled: false, rules: applicableRules(templates) })
    .validate({ templatePaths: templates });
  const resourcesByFile = {};
  for (const file of templates) resourcesByFile[path.resolve(file)] = JSON.parse(fs.readFileSync(file, 'utf8')).Resources || {};
  const findings = [];
  const suppressed = [];
  for (const violation of report.violations) {
    for (const resource of violation.violatingResources) {
      const template = path.resolve(resource.templatePath);
      const logicalId = resource.resourceLogicalId;
      const metadata = ((resourcesByFile[template] || {})[logicalId] || {}).Metadata || {};
      const rules = (metadata.guard || {}).SuppressedRules || [];
      const reason = (metadata.phoenix_guard_reasons || {})[violation.ruleName];
      const finding = { rule: violation.ruleName, resource: logicalId, message: (violation.description || '').trim().split('\n')[0], template: resource.templatePath };
      if (rules.includes(violation.ruleName) && typeof reason === 'string' && reason.length >= 10) suppressed.push({ ...finding, reason });
      else findings.push(finding);
    }
  }
  return { findings, suppressed };
}

// Every Control Tower rule file that names a resource type present in the templates (or names none). A rule whose
// types are all absent cannot find anything, and skipping it keeps the run short on a small machine.
function applicableRules(templates) {
  const root = path.join(__dirname, 'node_modules', '@cdklabs', 'cdk-validator-cfnguard', 'rules', 'control-tower', 'cfn-guard');
  const types = new Set();
  for (const file of templates) {
    for (const resource of Object.values(JSON.parse(fs.readFileSync(file, 'utf8')).Resources || {})) types.add(resource.Type);
  }
  const files = [];
  const walk = dir => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.guard')) {
        const named = fs.readFileSync(full, 'utf8').match(/"AWS::[A-Za-z0-9]+::[A-Za-z0-9]+"/g) || [];
        if (named.length === 0 || named.some(t => types.has(t.slice(1, -1)))) files.push(full);
      }
    }
  };
  walk(root);
  return files;
}

const [gate, ...templates] = process.argv.slice(2);
const gates = { nag, guard };
if (!gates[gate] || templates.length === 0) {
  console.error('usage: node gates.js nag|guard <template.json>...');
  process.exit(2);
}
const result = gates[gate](templates.map(t => path.resolve(t)));
process.stdout.write(JSON.stringify({ gate, templates: templates.length, ...result }, null, 1) + '\n');
