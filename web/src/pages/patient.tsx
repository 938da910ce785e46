// The patient view: timeline (SCAI stage, MAP, lactate, vasoactive score, device changes), anticoagulation panel
// (anti-Xa and aPTT side by side with the bands in force, heparin and purge, each pair's classification and the
// protocol's next step as decision support), hemolysis trend, bleeding events under every definition, entry forms.
import { useCallback, useEffect, useState, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { LineChart, StageStrip, type ChartBand, type ChartMarker } from '../charts.js';
import { bandText, fmtTime, fmtValue, words } from '../format.js';
import type { PatientView } from '../types.js';
import { DecisionSupport } from './decision-support.js';
import { BleedingClasses, DeviceForm, EventForm, InfusionForm, ObservationForm } from './patient-forms.js';

function bandsFor(view: PatientView, test: string): ChartBand[] {
  const a = view.anticoagulation;
  return a.protocols.flatMap((p) =>
    p.bands.filter((b) => b.test === test).map((b) => ({ from_min: p.from_min, to_min: p.to_min ?? view.timeline.to_min, low: b.low, high: b.high })),
  );
}

export function PatientPage(props: { readonly episodeId: string }): ReactElement {
  const [view, setView] = useState<PatientView | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);

  const load = useCallback(() => {
    api<PatientView>(`/api/patients/${encodeURIComponent(props.episodeId)}`)
      .then((v) => {
        setView(v);
        setProblem(null);
      })
      .catch((e: unknown) => setProblem(problemFrom(e)));
  }, [props.episodeId]);
  useEffect(load, [load]);

  if (problem) return <section><h1>Patient</h1><p role="alert" className="problem">{problem.title}: {problem.detail}</p><a href="#/patients">Back to the board</a></section>;
  if (!view) return <p>Loading…</p>;

  const t = view.timeline;
  const a = view.anticoagulation;
  const markers: ChartMarker[] = t.deviceChanges.map((d) => ({ t_min: d.t_min, label: `${fmtTime(d.time)}: ${d.label} ${d.change}${d.detail ? ` (${d.detail})` : ''}` }));
  const name = [view.patient.familyName, view.patient.givenName].filter(Boolean).join(', ') || view.sourceEpisodeId;
  // Only devices still in place can get a setting change or be removed; only running heparin can be changed or stopped.
  const removed = new Set(t.deviceChanges.filter((d) => d.change === 'removal').map((d) => d.deviceId));
  const devices = [...new Map(t.deviceChanges.filter((d) => !removed.has(d.deviceId)).map((d) => [d.deviceId, { id: d.deviceId, label: d.label }])).values()];
  const running = a.heparinInfusions.filter((i) => i.end === undefined).map((i) => ({ drug: 'ufh', start: i.start, rate: i.rate, rateUnit: i.rateUnit }));

  return (
    <article className="patient">
      <p><a href="#/patients">← Patient board</a></p>
      <h1>{name}</h1>
      <p className="muted">
        {view.site} · episode {view.sourceEpisodeId} · version {view.version}
        {view.patient.mrn ? ` · MRN ${view.patient.mrn}` : ''} · anchor {words(view.anchor.kind)} {fmtTime(view.anchor.time)} · SCAI now:{' '}
        <strong>{t.scai.current?.label ?? 'not assessable'}</strong>
      </p>

      <section aria-labelledby="timeline-h">
        <h2 id="timeline-h">Timeline</h2>
        <StageStrip from_min={t.from_min} to_min={t.to_min} blocks={t.scai.blocks} markers={markers} />
        <LineChart title="Mean arterial pressure" unit="mmHg" from_min={t.from_min} to_min={t.to_min} points={t.map} markers={markers} />
        <LineChart title="Lactate" unit="mmol/L" from_min={t.from_min} to_min={t.to_min} points={t.lactate} markers={markers} />
        <LineChart title="Vasoactive-inotropic score" unit="VIS" from_min={t.from_min} to_min={t.to_min} points={t.vasoactive.flatMap((v) => (v.vis === null ? [] : [{ t_min: v.t_min, value: v.vis }]))} markers={markers} />
        <h3>Device changes</h3>
        {t.deviceChanges.length === 0 ? <p className="muted">none</p> : (
          <ul className="device-changes">
            {t.deviceChanges.map((d, i) => (
              <li key={i}>{fmtTime(d.time)}: {d.label} ({d.deviceId}) {d.change}{d.detail ? `: ${d.detail}` : ''}</li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="ac-h">
        <h2 id="ac-h">Anticoagulation</h2>
        <p className="muted">
          Protocol: {a.protocols.map((p) => p.name ?? p.protocolId).join(', ') || 'none recorded'}
        </p>
        <div className="pair-charts">
          <LineChart title="Anti-Xa" unit="IU/mL" from_min={t.from_min} to_min={t.to_min} points={a.antiXa} bands={bandsFor(view, 'anti_xa_IU_mL')} />
          <LineChart title="aPTT" unit="s" from_min={t.from_min} to_min={t.to_min} points={a.aptt} bands={bandsFor(view, 'aptt_s')} />
        </div>
        <h3>Heparin</h3>
        <ul>
          {a.heparinInfusions.map((i, k) => <li key={k}>UFH {i.rate} {i.rateUnit} from {fmtTime(i.start)}{i.end ? ` to ${fmtTime(i.end)}` : ' (running)'}</li>)}
          {a.purge.map((p, k) => <li key={`p${k}`}>Purge{p.deviceId ? ` (${p.deviceId})` : ''}: {p.heparin_IU_mL} IU/mL at {p.flow_mL_h} mL/h = {p.heparin_IU_h} IU/h from {fmtTime(p.start)}{p.end ? ` to ${fmtTime(p.end)}` : ' (running)'}</li>)}
          {a.heparinInfusions.length + a.purge.length === 0 && <li className="muted">no heparin recorded</li>}
        </ul>
        <h3>Paired anti-Xa and aPTT</h3>
        {a.pairs.length === 0 ? <p className="muted">no pairs</p> : (
          <div className="table-wrap">
            <table className="pairs">
              <thead>
                <tr><th scope="col">Time</th><th scope="col">Anti-Xa (IU/mL)</th><th scope="col">aPTT (s)</th><th scope="col">Classification</th></tr>
              </thead>
              <tbody>
                {a.pairs.slice(-8).reverse().map((p, i) => (
                  <tr key={i}>
                    <td>{fmtTime(p.time)}</td>
                    <td>{fmtValue(p.antiXa.value)} <span className={`status ${p.antiXa.status}`}>{words(p.antiXa.status)}</span> <span className="muted">({bandText(p.antiXa.band)})</span></td>
                    <td>{fmtValue(p.aptt.value)} <span className={`status ${p.aptt.status}`}>{words(p.aptt.status)}</span> <span className="muted">({bandText(p.aptt.band)})</span></td>
                    <td>{words(p.pattern)}: {p.interpretation}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {a.latestNextStep && <DecisionSupport step={a.latestNextStep} />}
      </section>

      <section aria-labelledby="hemo-h">
        <h2 id="hemo-h">Hemolysis</h2>
        <p>Grade: <strong>{view.hemolysis.grade ?? 'none'}</strong></p>
        <LineChart title="Plasma free hemoglobin" unit="mg/dL" from_min={t.from_min} to_min={t.to_min} points={view.hemolysis.plasmaFreeHb} />
        <LineChart title="LDH" unit="U/L" from_min={t.from_min} to_min={t.to_min} points={view.hemolysis.ldh} />
      </section>

      <section aria-labelledby="bleed-h">
        <h2 id="bleed-h">Bleeding events</h2>
        {view.bleeding.events.length === 0 ? <p className="muted">none recorded</p> : view.bleeding.events.map((e) => (
          <div key={e.index} className="bleed">
            <h3>{fmtTime(e.time)}: {words(e.site)}{e.description ? ` (${e.description})` : ''}</h3>
            <BleedingClasses event={e} />
          </div>
        ))}
      </section>

      <section aria-labelledby="entry-h" className="entry-forms">
        <h2 id="entry-h">Enter data</h2>
        <ObservationForm episodeId={props.episodeId} onSaved={load} />
        <InfusionForm episodeId={props.episodeId} onSaved={load} running={running} />
        <DeviceForm episodeId={props.episodeId} onSaved={load} devices={devices} />
        <EventForm episodeId={props.episodeId} onSaved={load} />
      </section>
    </article>
  );
}
