import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { assessAnticoagulation, classifyAgainstBand } from '../clinical/anticoagulation/index.js';
import { assessBleeding } from '../clinical/bleeding/index.js';
import { parseEpisode, type Episode } from '../clinical/episode/episode.js';
import { lastRecordedMin } from '../clinical/episode/series.js';
import { meanArterialPressure } from '../clinical/hemodynamics/indices.js';
import { vasoactiveCourse } from '../clinical/hemodynamics/vasoactive-course.js';
import { gradeHemolysis } from '../clinical/hemolysis/hemolysis-grade.js';
import { assessScai, scaiInputFromEpisode, scaiStageAt, SCAI_2022 } from '../clinical/scai/index.js';
import { examplePath } from '../../test/support/paths.js';
import { boardEntry, isActive } from './patient-board.js';
import { DECISION_SUPPORT_TEXT, patientView, timelineSpan } from './patient-view.js';

function example(file: string): Episode {
  const parsed = parseEpisode(JSON.parse(readFileSync(examplePath('episodes', file), 'utf8')));
  assert.ok(parsed.ok, `${file} parses`);
  return parsed.episode;
}

const FILES = readdirSync(examplePath('episodes')).filter((f) => f.endsWith('.json')).sort();

test('every bundled example: the timeline shows the engine\'s SCAI trajectory, current stage, lactate and vasoactive course', () => {
  assert.ok(FILES.length >= 20);
  for (const file of FILES) {
    const e = example(file);
    const v = patientView(e);
    const span = timelineSpan(e);
    const engine = assessScai(e, { atMin: lastRecordedMin(e), trajectory: span }).result;
    assert.deepEqual(v.timeline.scai.blocks.map((b) => b.label), engine.trajectory.blocks.map((b) => b.label), file);
    assert.deepEqual(v.timeline.scai.blocks.map((b) => [b.from_min, b.to_min]), engine.trajectory.blocks.map((b) => [b.from_min, b.to_min]), file);
    assert.equal(v.timeline.scai.current?.label, engine.at?.label, file);
    assert.deepEqual(v.timeline.lactate.map((p) => p.value), e.observations.filter((o) => o.code === 'lactate_mmol_L').map((o) => o.value), file);
    assert.deepEqual(v.timeline.vasoactive.map((s) => s.vis), vasoactiveCourse(e, span.fromMin, span.toMin).map((s) => s.vis.result), file);
    assert.equal(v.sourceEpisodeId, e.id);
  }
});

test('MAP over time: measured values as recorded, the rest from the engine\'s DBP + (SBP - DBP)/3 at the same instant', () => {
  let calculated = 0;
  for (const file of FILES) {
    const e = example(file);
    for (const point of patientView(e).timeline.map) {
      if (point.source === 'measured') {
        assert.ok(e.observations.some((o) => o.code === 'map_mmHg' && o.t_min === point.t_min && o.value === point.value), `${file} ${point.time}`);
      } else {
        calculated += 1;
        const sbp = e.observations.find((o) => o.code === 'sbp_mmHg' && o.t_min === point.t_min)!;
        const dbp = e.observations.find((o) => o.code === 'dbp_mmHg' && o.t_min === point.t_min)!;
        assert.equal(point.value, meanArterialPressure({ sbp_mmHg: sbp.value, dbp_mmHg: dbp.value }).result, `${file} ${point.time}`);
      }
    }
  }
  assert.ok(calculated > 0, 'some example has SBP/DBP without a measured MAP');
});

test('device changes list insertions, setting changes and removals in time order', () => {
  const e = example('anticoag-ecpella.json');
  const changes = patientView(e).timeline.deviceChanges;
  assert.equal(changes.filter((c) => c.change === 'insertion').length, e.devices.length);
  assert.deepEqual(changes.map((c) => c.t_min), [...changes.map((c) => c.t_min)].sort((a, b) => a - b));
});

test('anticoagulation panel: each pair as the engine classifies it, with the protocol\'s next step labelled decision support', () => {
  let withStep = 0;
  for (const file of FILES.filter((f) => f.startsWith('anticoag-'))) {
    const e = example(file);
    const v = patientView(e).anticoagulation;
    const engine = assessAnticoagulation(e).result;
    assert.equal(v.decisionSupport, true);
    assert.equal(v.decisionSupportLabel, DECISION_SUPPORT_TEXT);
    assert.equal(DECISION_SUPPORT_TEXT, 'Decision support for the treating clinician, not an order');
    assert.equal(v.pairs.length, engine.pairs.length, file);
    v.pairs.forEach((pair, i) => {
      const ep = engine.pairs[i]!.result;
      assert.equal(pair.pattern, ep.pattern, `${file} pair ${i}`);
      assert.equal(pair.antiXa.status, ep.antiXa.status);
      assert.equal(pair.aptt.status, ep.aptt.status);
      assert.deepEqual(pair.antiXa.band, ep.antiXa.band);
      assert.equal(pair.concordant, ep.concordant);
      if (pair.nextStep) {
        withStep += 1;
        assert.equal(pair.nextStep.decisionSupport, true);
        assert.equal(pair.nextStep.label, DECISION_SUPPORT_TEXT);
        const step = engine.nextSteps.map((s) => s.result).find((s) => s.time === pair.nextStep!.time && s.test === pair.nextStep!.test);
        assert.ok(step, `${file}: the pair's step is one of the engine's`);
        assert.equal(pair.nextStep.action, step.action);
        assert.equal(pair.nextStep.text, step.text);
      }
    });
    assert.equal(v.latestNextStep?.text, engine.latestNextStep?.result.text, file);
    // Series: every anti-Xa sample with the band in force and its status from the engine's band classification.
    const xa = e.observations.filter((o) => o.code === 'anti_xa_IU_mL');
    assert.equal(v.antiXa.length, xa.length, file);
    for (const point of v.antiXa) {
      if (point.band) assert.equal(point.status, classifyAgainstBand(point.value, point.band, point.censored));
    }
    assert.equal(v.heparinResistance, engine.resistance.result.flag, file);
  }
  assert.ok(withStep > 5, `pairs carry next steps (${withStep})`);
});

test('hemolysis trend: the engine\'s grade overall and after each plasma free Hb sample', () => {
  for (const file of FILES) {
    const e = example(file);
    const v = patientView(e).hemolysis;
    assert.equal(v.grade, gradeHemolysis(e).result.grade, file);
    for (const s of v.plasmaFreeHb) assert.equal(s.gradeAfter, gradeHemolysis(e, { toMin: s.t_min }).result.grade);
  }
  assert.equal(patientView(example('hemolysis-impella.json')).hemolysis.grade, 'severe');
});

test('bleeding events: the class under BARC, TIMI, GUSTO, ISTH and VARC-2 is the engine\'s', () => {
  let events = 0;
  for (const file of FILES) {
    const e = example(file);
    const v = patientView(e).bleeding;
    const engine = assessBleeding(e);
    assert.equal(v.events.length, engine.events.length, file);
    v.events.forEach((ev, i) => {
      events += 1;
      const c = engine.events[i]!.classification;
      assert.equal(ev.classes.barc.class, c.barc.result);
      assert.equal(ev.classes.timi.class, c.timi.result);
      assert.equal(ev.classes.gusto.class, c.gusto.result);
      assert.equal(ev.classes.isth.class, c.isth.result);
      assert.equal(ev.classes.varc2.class, c.varc2.result);
      assert.equal(ev.classes.barc.upperBound, c.barc.upperBound);
    });
    assert.equal(v.worst.barc, engine.summary.barc.worst);
  }
  assert.ok(events >= 8);
  const fatal = patientView(example('bleeding-fatal-definite.json')).bleeding.events[0]!;
  assert.equal(fatal.classes.barc.class, '5b');
  assert.equal(fatal.classes.barc.major, true);
  const minor = patientView(example('bleeding-access-site.json')).bleeding.events[0]!;
  assert.equal(minor.classes.barc.major, false);
});

test('board row: stage, last anti-Xa/aPTT against the band, open alerts, hours on support', () => {
  const e = example('anticoag-antixa-underread.json');
  const last = lastRecordedMin(e);
  const now = new Date(Date.parse(e.anchor.time) + (last + 60) * 60000);
  const row = boardEntry({ episodeId: 7, site: 'site-a', patient: { sourceId: 'P1', familyName: 'Synthetic' }, episode: e, now });
  assert.equal(row.scai?.label, scaiStageAt(scaiInputFromEpisode(e), last, SCAI_2022).result.label);
  const engine = assessAnticoagulation(e).result;
  const lastPair = engine.pairs.at(-1)!.result;
  assert.equal(row.lastPair?.pattern, lastPair.pattern);
  assert.equal(row.alerts.some((a) => a.code === 'discordant_pair'), lastPair.concordant === false);
  assert.ok(row.alerts.some((a) => a.code === 'hemolysis'), 'severe hemolysis is an open alert');
  const xa = e.observations.filter((o) => o.code === 'anti_xa_IU_mL').at(-1)!;
  assert.equal(row.antiXa?.value, xa.value);
  assert.ok(row.antiXa?.band);
  assert.equal(row.antiXa?.status, classifyAgainstBand(xa.value, row.antiXa.band, xa.censored));
  assert.equal(row.active, isActive(e));
  const device = e.devices[0]!;
  const expectedHours = device.t_removal_min === undefined ? (last + 60 - device.t_insertion_min) / 60 : (device.t_removal_min - device.t_insertion_min) / 60;
  assert.equal(row.hoursOnSupport, Math.round(expectedHours * 10) / 10);
});

test('board row: a bleed within 24 h of the last record is a new-bleeding alert with its BARC class', () => {
  const e = example('bleeding-gi-retroperitoneal.json');
  const row = boardEntry({ episodeId: 1, site: 's', patient: { sourceId: 'P' }, episode: e, now: new Date() });
  const engine = assessBleeding(e);
  const recent = engine.events.filter((b) => b.t_min >= lastRecordedMin(e) - 24 * 60);
  assert.ok(recent.length > 0, 'the example has a recent bleed');
  assert.equal(row.alerts.filter((a) => a.code === 'new_bleeding').length, recent.length);
  for (const b of recent) assert.ok(row.alerts.some((a) => a.code === 'new_bleeding' && a.text.endsWith(`BARC ${b.classification.barc.result}`)));
});

test('active: a death ends it; a device in place or no discharge keeps it', () => {
  assert.equal(isActive(example('bleeding-fatal-definite.json')), false);
  const e = example('scai-c-classic.json');
  assert.equal(isActive(e), true);
  assert.equal(isActive({ ...e, times: { ...e.times, discharge: '2030-01-01T00:00:00Z' } }), e.devices.some((d) => d.removal === undefined));
});
