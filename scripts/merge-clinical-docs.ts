// Regenerates docs/clinical-rules.md from scripts/clinical-rules/intro.md, the per-family pages (headings one level
// down, links re-rooted at docs/), and scripts/clinical-rules/cli.md followed by a fresh `stratum clinical assess`
// example. Run with `npm run docs:clinical` after editing a per-family page; a test fails when it is stale.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const order = ['episode', 'scai', 'hemodynamics', 'phenotype', 'organ', 'hemolysis', 'bleeding', 'anticoagulation'];
const parts = [readFileSync('scripts/clinical-rules/intro.md', 'utf8').trimEnd()];
for (const family of order) {
  let fence = false;
  const lines = readFileSync(`docs/clinical/${family}.md`, 'utf8').trimEnd().split('\n').map((line) => {
    if (line.startsWith('```')) fence = !fence;
    const shifted = !fence && /^#{1,5} /.test(line) ? `#${line}` : line;
    return shifted.replaceAll('](../', '](');
  });
  lines.splice(1, 0, `\n*Per-family page: [clinical/${family}.md](clinical/${family}.md).*`);
  parts.push(lines.join('\n'));
}
const example = execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'clinical', 'assess', '--input', 'examples/episodes/anticoag-antixa-underread.json'], { encoding: 'utf8' }).trimEnd();
parts.push(`${readFileSync('scripts/clinical-rules/cli.md', 'utf8')}\`\`\`text\n${example}\n\`\`\``);
writeFileSync('docs/clinical-rules.md', `${parts.join('\n\n')}\n`);
