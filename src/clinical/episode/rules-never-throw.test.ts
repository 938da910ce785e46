// Property (issue 3, section 4): classification never throws on any schema-valid episode, and every result either
// has a value or names what it lacked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseEpisode } from './episode.js';
import { arbitraryEpisodeInput } from './__fixtures__/arbitrary-episode.js';
import { assessHemodynamics } from '../hemodynamics/assess-hemodynamics.js';
import { vasoactiveWindowSummary } from '../hemodynamics/vasoactive-course.js';
import { assessOrganFunction } from '../organ/assess-organ.js';
import { assessPhenotype } from '../phenotype/assess-phenotype.js';
import { gradeHemolysis } from '../hemolysis/hemolysis-grade.js';

test('property: parseEpisode accepts every generated schema-valid episode, and no rule of this part throws on it', () => {
  fc.assert(
    fc.property(arbitraryEpisodeInput, fc.integer({ min: -600, max: 4320 }), (input, atMin) => {
      const r = parseEpisode(input);
      if (!r.ok) assert.fail(r.problems.map((p) => p.message).join('\n'));
      const e = r.episode;
      const h = assessHemodynamics(e, { atMin });
      assert.ok(h.cpo.result !== null || h.cpo.missing.length > 0 || h.cpo.reasons.length > 0);
      vasoactiveWindowSummary(e, 0, 1440);
      const o = assessOrganFunction(e, { atMin });
      assert.ok(o.sofa.total <= o.sofa.totalUpper && o.sofa.totalUpper <= 24);
      assert.ok(o.aki.result !== null || o.aki.missing.length > 0);
      assessPhenotype(e, { atMin });
      const g = gradeHemolysis(e, { toMin: atMin });
      assert.ok(g.result.grade !== null || g.missing.length > 0 || g.reasons.length > 0);
    }),
    { numRuns: 150 },
  );
});
