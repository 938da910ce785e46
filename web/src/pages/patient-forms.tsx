// The bedside entry forms of the patient view: observations (an anti-Xa + aPTT pair entered together is classified
// on save), infusions (start, stop, rate change), device changes and events (bleeding with its facts; hemolysis).
// Every entry has its own time: a datetime-local field in the browser's time zone (named in its label), defaulting to
// now and editable, sent as a UTC instant. The server checks every value (parseEpisode, and that a time is neither in
// the future nor before the episode) and names the field at fault; its messages are shown next to that field. What
// the server computes for the entry (classification, bleeding classes) is shown.
import { useState, type FormEvent, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { ACCESS_SITES, BLEEDING_SITES, DEVICE_KINDS, INFUSION_DRUG_DEFS, INFUSION_DRUGS, MICROAXIAL_MODELS, OBSERVATION_CODES, OBSERVATION_CODE_NAMES, REMOVAL_REASONS, type InfusionDrug, type ObservationCode } from '../clinical-lists.js';
import { bandText, fmtTime, fmtValue, localInputToIso, localZone, nowInput, words } from '../format.js';
import type { BleedingEvent, NextStep, Pair } from '../types.js';
import { DecisionSupport } from './decision-support.js';
import { Field, fieldErrors, ProblemBox, type FieldErrorsApi } from './field-errors.js';

interface FormProps {
  readonly episodeId: string;
  readonly onSaved: () => void;
}

/** The label of a time field: what the time is, and the zone it is read in. */
const timeLabel = (what: string) => `${what} (${localZone()})`;

function useSubmit<T>(url: string, onSaved: () => void): { problem: Problem | null; busy: boolean; result: T | null; submit: (body: unknown) => Promise<void> } {
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<T | null>(null);
  async function submit(body: unknown) {
    setBusy(true);
    setProblem(null);
    setResult(null);
    try {
      setResult(await api<T>(url, { method: 'POST', json: body }));
      onSaved();
    } catch (e) {
      setProblem(problemFrom(e));
    } finally {
      setBusy(false);
    }
  }
  return { problem, busy, result, submit };
}

const unitsOf = (code: ObservationCode) => OBSERVATION_CODES[code].inputUnits.map((u) => u.unit);
/** A typed number as a number; anything else (blank, text) as typed, so the server names the field and the value. */
const num = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);


// ---------------------------------------------------------------- observations

interface ObsResult {
  readonly pairs: readonly (Pair & { readonly enteredTogether: boolean })[];
  readonly nextSteps: readonly NextStep[];
  readonly warnings: readonly { readonly path: string; readonly message: string }[];
}

export function ObservationForm(props: FormProps): ReactElement {
  const [time, setTime] = useState(nowInput());
  const [xa, setXa] = useState('');
  const [xaUnit, setXaUnit] = useState(unitsOf('anti_xa_IU_mL')[0] ?? '');
  const [pt, setPt] = useState('');
  const [ptUnit, setPtUnit] = useState(unitsOf('aptt_s')[0] ?? '');
  const [code, setCode] = useState<ObservationCode>('lactate_mmol_L');
  const [other, setOther] = useState('');
  const [otherUnit, setOtherUnit] = useState(unitsOf('lactate_mmol_L')[0] ?? '');
  const { problem, busy, result, submit } = useSubmit<ObsResult>(`/api/patients/${props.episodeId}/observations`, props.onSaved);
  // Which request index each input became, so the server's 'observations[i].value' lands next to the right input.
  const [indexOf, setIndexOf] = useState<Record<string, number>>({});
  const errors = fieldErrors(problem);
  const sent = Object.values(indexOf);
  // The one time field stands for every record's time; a record's other messages go next to its value.
  const timeFields = sent.length > 0 ? sent.map((i) => `observations[${i}].time`) : ['observations[0].time'];
  const fieldOf = (key: string) => (indexOf[key] !== undefined ? `observations[${indexOf[key]}]` : `observations.${key}`);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const at = localInputToIso(time);
    const observations: Record<string, unknown>[] = [];
    const idx: Record<string, number> = {};
    if (xa.trim() !== '') {
      idx['xa'] = observations.length;
      observations.push({ time: at, code: 'anti_xa_IU_mL', value: num(xa), unit: xaUnit });
    }
    if (pt.trim() !== '') {
      idx['pt'] = observations.length;
      observations.push({ time: at, code: 'aptt_s', value: num(pt), unit: ptUnit });
    }
    if (other.trim() !== '') {
      idx['other'] = observations.length;
      observations.push({ time: at, code, value: num(other), unit: otherUnit });
    }
    setIndexOf(idx);
    void submit({ observations });
  }

  return (
    <form className="entry" onSubmit={onSubmit} aria-labelledby="obs-h">
      <h3 id="obs-h">Observations</h3>
      <Field label={timeLabel('Time')} field={timeFields} errors={errors}>
        {(c) => <input id={c.id} name="time" type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} required aria-describedby={c.describedBy} />}
      </Field>
      <fieldset>
        <legend>Anti-Xa and aPTT (same draw)</legend>
        <div className="row">
          <Field label="Anti-Xa" field={fieldOf('xa')} except={timeFields} errors={errors}>
            {(c) => <input id={c.id} name="antiXa" inputMode="decimal" value={xa} onChange={(e) => setXa(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <Field label="Anti-Xa unit">
            {(c) => (
              <select id={c.id} value={xaUnit} onChange={(e) => setXaUnit(e.target.value)}>
                {unitsOf('anti_xa_IU_mL').map((u) => <option key={u}>{u}</option>)}
              </select>
            )}
          </Field>
          <Field label="aPTT" field={fieldOf('pt')} except={timeFields} errors={errors}>
            {(c) => <input id={c.id} name="aptt" inputMode="decimal" value={pt} onChange={(e) => setPt(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <Field label="aPTT unit">
            {(c) => (
              <select id={c.id} value={ptUnit} onChange={(e) => setPtUnit(e.target.value)}>
                {unitsOf('aptt_s').map((u) => <option key={u}>{u}</option>)}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <fieldset>
        <legend>Other observation</legend>
        <div className="row">
          <Field label="Observation">
            {(c) => (
              <select
                id={c.id}
                value={code}
                onChange={(e) => {
                  const next = e.target.value as ObservationCode;
                  setCode(next);
                  setOtherUnit(unitsOf(next)[0] ?? '');
                }}
              >
                {OBSERVATION_CODE_NAMES.map((n) => (
                  <option key={n} value={n}>
                    {OBSERVATION_CODES[n].label}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Value" field={fieldOf('other')} except={timeFields} errors={errors}>
            {(c) => <input id={c.id} name="otherValue" inputMode="decimal" value={other} onChange={(e) => setOther(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <Field label="Unit">
            {(c) => (
              <select id={c.id} value={otherUnit} onChange={(e) => setOtherUnit(e.target.value)}>
                {unitsOf(code).map((u) => <option key={u}>{u}</option>)}
              </select>
            )}
          </Field>
        </div>
      </fieldset>
      <ProblemBox errors={errors} shown={sent.map((i) => `observations[${i}]`)} />
      <button type="submit" disabled={busy}>Save observations</button>
      {result && (
        <div className="saved" role="status">
          <p>Saved.</p>
          {result.warnings.map((w, i) => <p key={i} className="warning">{w.message}</p>)}
          {result.pairs.map((p, i) => (
            <div key={i} className="pair-result">
              <p>
                <strong>Pair classification: {words(p.pattern)}</strong> ({p.concordant === true ? 'concordant' : p.concordant === false ? 'discordant' : 'not classifiable'})
              </p>
              <p>
                Anti-Xa {fmtValue(p.antiXa.value)} IU/mL: {words(p.antiXa.status)} (target {bandText(p.antiXa.band)}); aPTT {fmtValue(p.aptt.value)} s: {words(p.aptt.status)} (target {bandText(p.aptt.band)})
              </p>
              <p>{p.interpretation}</p>
            </div>
          ))}
          {result.nextSteps.map((s, i) => <DecisionSupport key={i} step={s} />)}
        </div>
      )}
    </form>
  );
}

// ---------------------------------------------------------------- infusions

/** A running infusion the form can stop or change: its drug and start exactly as recorded (the server matches both). */
export interface RunningInfusion {
  readonly drug: string;
  readonly start: string;
  readonly rate: number;
  readonly rateUnit: string;
}

type InfusionAction = 'start' | 'stop' | 'change';

export function InfusionForm(props: FormProps & { readonly running: readonly RunningInfusion[] }): ReactElement {
  const [action, setAction] = useState<InfusionAction>('start');
  const [drug, setDrug] = useState<InfusionDrug>('ufh');
  const [rate, setRate] = useState('');
  const [rateUnit, setRateUnit] = useState(INFUSION_DRUG_DEFS.ufh.inputUnits[0]?.unit ?? '');
  const [at, setAt] = useState(nowInput());
  const [which, setWhich] = useState('');
  const { problem, busy, result, submit } = useSubmit<{ latestNextStep: NextStep | null }>(`/api/patients/${props.episodeId}/infusions`, props.onSaved);
  const errors = fieldErrors(problem);
  const [whichDrug = 'ufh'] = which.split('|');
  const unitDrug: InfusionDrug = action === 'start' ? drug : whichDrug in INFUSION_DRUG_DEFS ? (whichDrug as InfusionDrug) : 'ufh';

  function chooseRunning(value: string) {
    setWhich(value);
    // A rate change keeps the running infusion's unit unless the clinician picks another.
    const r = props.running.find((x) => `${x.drug}|${x.start}` === value);
    if (r) setRateUnit(r.rateUnit);
  }

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const when = localInputToIso(at);
    if (action === 'start') return void submit({ action, infusion: { drug, start: when, rate: num(rate), rateUnit } });
    const [d = '', start = ''] = which.split('|');
    if (action === 'stop') return void submit({ action, drug: d, start, at: when });
    return void submit({ action, drug: d, start, at: when, rate: num(rate), rateUnit });
  }

  return (
    <form className="entry" onSubmit={onSubmit} aria-labelledby="inf-h">
      <h3 id="inf-h">Infusion</h3>
      <div className="row">
        <Field label="Action">
          {(c) => (
            <select
              id={c.id}
              value={action}
              onChange={(e) => {
                const next = e.target.value as InfusionAction;
                setAction(next);
                // The unit list follows the drug: a new infusion's drug, or the running infusion's own unit.
                if (next === 'start') setRateUnit(INFUSION_DRUG_DEFS[drug].inputUnits[0]?.unit ?? '');
                else chooseRunning(which);
              }}
            >
              <option value="start">Start</option>
              <option value="change">Change rate</option>
              <option value="stop">Stop</option>
            </select>
          )}
        </Field>
        {action === 'start' ? (
          <Field label="Drug" field="infusion.drug" errors={errors}>
            {(c) => (
              <select
                id={c.id}
                value={drug}
                aria-describedby={c.describedBy}
                onChange={(e) => {
                  const d = e.target.value as InfusionDrug;
                  setDrug(d);
                  setRateUnit(INFUSION_DRUG_DEFS[d].inputUnits[0]?.unit ?? '');
                }}
              >
                {INFUSION_DRUGS.map((d) => <option key={d} value={d}>{words(d)}</option>)}
              </select>
            )}
          </Field>
        ) : (
          <Field label="Running infusion" field="start" errors={errors}>
            {(c) => (
              <select id={c.id} value={which} onChange={(e) => chooseRunning(e.target.value)} required aria-describedby={c.describedBy}>
                <option value="">Choose…</option>
                {props.running.map((r) => (
                  <option key={`${r.drug}|${r.start}`} value={`${r.drug}|${r.start}`}>
                    {words(r.drug)} {r.rate} {r.rateUnit} since {fmtTime(r.start)}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label={timeLabel(action === 'start' ? 'Start' : 'At')} field={action === 'start' ? 'infusion.start' : 'at'} errors={errors}>
          {(c) => <input id={c.id} name="time" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required aria-describedby={c.describedBy} />}
        </Field>
        {action !== 'stop' && (
          <>
            <Field label="Rate" field={action === 'start' ? 'infusion.rate' : 'rate'} errors={errors}>
              {(c) => <input id={c.id} name="rate" inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} required aria-describedby={c.describedBy} />}
            </Field>
            <Field label="Rate unit" field={action === 'start' ? 'infusion.rateUnit' : 'rateUnit'} errors={errors}>
              {(c) => (
                <select id={c.id} value={rateUnit} onChange={(e) => setRateUnit(e.target.value)} aria-describedby={c.describedBy}>
                  {INFUSION_DRUG_DEFS[unitDrug].inputUnits.map((u) => <option key={u.unit}>{u.unit}</option>)}
                </select>
              )}
            </Field>
          </>
        )}
      </div>
      <ProblemBox errors={errors} shown={action === 'start' ? ['infusion.drug', 'infusion.start', 'infusion.rate', 'infusion.rateUnit'] : ['start', 'at', 'rate', 'rateUnit']} />
      <button type="submit" disabled={busy}>Save infusion</button>
      {result && (
        <div className="saved" role="status">
          <p>Saved.</p>
          {result.latestNextStep && <DecisionSupport step={result.latestNextStep} />}
        </div>
      )}
    </form>
  );
}

// ---------------------------------------------------------------- devices

/** A device of the episode the form can change or remove (only those still in place). */
export interface DeviceChoice {
  readonly id: string;
  readonly label: string;
}

type DeviceAction = 'insert' | 'remove' | 'change';
const DEVICE_TIME_FIELD: Readonly<Record<DeviceAction, string>> = { insert: 'device.insertion', remove: 'at', change: 'setting.time' };

export function DeviceForm(props: FormProps & { readonly devices: readonly DeviceChoice[] }): ReactElement {
  const [action, setAction] = useState<DeviceAction>('insert');
  const [kind, setKind] = useState<(typeof DEVICE_KINDS)[number]>('microaxial');
  const [model, setModel] = useState<string>('Impella CP');
  const [access, setAccess] = useState<string>('femoral');
  const [description, setDescription] = useState('');
  const [deviceId, setDeviceId] = useState('');
  const [at, setAt] = useState(nowInput());
  const [reason, setReason] = useState<string>('recovery');
  const [pLevel, setPLevel] = useState('');
  const [flow, setFlow] = useState('');
  const { problem, busy, result, submit } = useSubmit<unknown>(`/api/patients/${props.episodeId}/devices`, props.onSaved);
  const errors = fieldErrors(problem);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const when = localInputToIso(at);
    if (action === 'insert') {
      // The server gives the new device the first free kind-n id.
      const device: Record<string, unknown> = { kind, insertion: when, accessSite: access };
      if (kind === 'microaxial') device['model'] = model;
      if (kind === 'other') device['description'] = description;
      return void submit({ action, device });
    }
    if (action === 'remove') return void submit({ action, deviceId, at: when, removalReason: reason });
    const setting: Record<string, unknown> = { time: when };
    if (pLevel !== '') setting['pLevel'] = num(pLevel);
    if (flow !== '') setting['flow_L_min'] = num(flow);
    return void submit({ action, deviceId, setting });
  }

  return (
    <form className="entry" onSubmit={onSubmit} aria-labelledby="dev-h">
      <h3 id="dev-h">Device change</h3>
      <div className="row">
        <Field label="Action">
          {(c) => (
            <select id={c.id} value={action} onChange={(e) => setAction(e.target.value as DeviceAction)}>
              <option value="insert">Insert</option>
              <option value="change">Setting change</option>
              <option value="remove">Remove</option>
            </select>
          )}
        </Field>
        {action === 'insert' ? (
          <>
            <Field label="Device" field="device.kind" errors={errors}>
              {(c) => (
                <select id={c.id} value={kind} onChange={(e) => setKind(e.target.value as (typeof DEVICE_KINDS)[number])} aria-describedby={c.describedBy}>
                  {DEVICE_KINDS.map((k) => <option key={k} value={k}>{words(k)}</option>)}
                </select>
              )}
            </Field>
            {kind === 'microaxial' && (
              <Field label="Model" field="device.model" errors={errors}>
                {(c) => (
                  <select id={c.id} value={model} onChange={(e) => setModel(e.target.value)} aria-describedby={c.describedBy}>
                    {MICROAXIAL_MODELS.map((m) => <option key={m}>{m}</option>)}
                  </select>
                )}
              </Field>
            )}
            {kind === 'other' && (
              <Field label="Description" field="device.description" errors={errors}>
                {(c) => <input id={c.id} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={c.describedBy} />}
              </Field>
            )}
            <Field label="Access site" field="device.accessSite" errors={errors}>
              {(c) => (
                <select id={c.id} value={access} onChange={(e) => setAccess(e.target.value)} aria-describedby={c.describedBy}>
                  {ACCESS_SITES.map((s) => <option key={s}>{s}</option>)}
                </select>
              )}
            </Field>
          </>
        ) : (
          <Field label="Device in place" field="deviceId" errors={errors}>
            {(c) => (
              <select id={c.id} value={deviceId} onChange={(e) => setDeviceId(e.target.value)} required aria-describedby={c.describedBy}>
                <option value="">Choose…</option>
                {props.devices.map((x) => <option key={x.id} value={x.id}>{x.label} ({x.id})</option>)}
              </select>
            )}
          </Field>
        )}
        <Field label={timeLabel('Time')} field={DEVICE_TIME_FIELD[action]} errors={errors}>
          {(c) => <input id={c.id} name="time" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} required aria-describedby={c.describedBy} />}
        </Field>
        {action === 'remove' && (
          <Field label="Reason" field="removalReason" errors={errors}>
            {(c) => (
              <select id={c.id} value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={c.describedBy}>
                {REMOVAL_REASONS.map((r) => <option key={r}>{r}</option>)}
              </select>
            )}
          </Field>
        )}
        {action === 'change' && (
          <>
            <Field label="P-level" field="setting.pLevel" errors={errors}>
              {(c) => <input id={c.id} inputMode="numeric" value={pLevel} onChange={(e) => setPLevel(e.target.value)} aria-describedby={c.describedBy} />}
            </Field>
            <Field label="Flow (L/min)" field="setting.flow_L_min" errors={errors}>
              {(c) => <input id={c.id} inputMode="decimal" value={flow} onChange={(e) => setFlow(e.target.value)} aria-describedby={c.describedBy} />}
            </Field>
          </>
        )}
      </div>
      <ProblemBox
        errors={errors}
        shown={
          action === 'insert'
            ? ['device.kind', 'device.model', 'device.description', 'device.accessSite', 'device.insertion']
            : ['deviceId', DEVICE_TIME_FIELD[action], ...(action === 'remove' ? ['removalReason'] : ['setting.pLevel', 'setting.flow_L_min'])]
        }
      />
      <button type="submit" disabled={busy}>Save device change</button>
      {result !== null && <p className="saved" role="status">Saved.</p>}
    </form>
  );
}

// ---------------------------------------------------------------- events

interface EventsResult {
  readonly events: readonly { readonly kind: string; readonly bleeding?: BleedingEvent; readonly hemolysisGrade?: string | null }[];
}

const yesNo = (v: string): boolean | undefined => (v === 'yes' ? true : v === 'no' ? false : undefined);

function YesNo(props: { readonly label: string; readonly field: string; readonly errors: FieldErrorsApi; readonly value: string; readonly onChange: (v: string) => void }): ReactElement {
  return (
    <Field label={props.label} field={props.field} errors={props.errors}>
      {(c) => (
        <select id={c.id} value={props.value} onChange={(e) => props.onChange(e.target.value)} aria-describedby={c.describedBy}>
          <option value="">not recorded</option>
          <option value="yes">yes</option>
          <option value="no">no</option>
        </select>
      )}
    </Field>
  );
}

export function BleedingClasses(props: { readonly event: BleedingEvent }): ReactElement {
  const c = props.event.classes;
  return (
    <table className="classes">
      <caption>Bleeding class under each definition</caption>
      <thead>
        <tr><th scope="col">Definition</th><th scope="col">Class</th><th scope="col">Upper bound</th><th scope="col">Major</th></tr>
      </thead>
      <tbody>
        {(['barc', 'timi', 'gusto', 'isth', 'varc2'] as const).map((d) => (
          <tr key={d}>
            <th scope="row">{d === 'varc2' ? 'VARC-2' : d.toUpperCase()}</th>
            <td className="class-value">{c[d].class}</td>
            <td>{c[d].determinate ? '—' : c[d].upperBound}</td>
            <td>{c[d].major ? 'yes' : 'no'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const FACTS = 'events[0].facts';

export function EventForm(props: FormProps): ReactElement {
  const [kind, setKind] = useState<'bleeding' | 'hemolysis'>('bleeding');
  const [time, setTime] = useState(nowInput());
  const [site, setSite] = useState<string>('access_site');
  const [overt, setOvert] = useState('yes');
  const [hbBase, setHbBase] = useState('');
  const [hbNadir, setHbNadir] = useState('');
  const [hbUnit, setHbUnit] = useState('g/dL');
  const [rbc, setRbc] = useState('');
  const [compromise, setCompromise] = useState('');
  const [surgical, setSurgical] = useState('');
  const [description, setDescription] = useState('');
  const [hemoglobinuria, setHemoglobinuria] = useState('');
  const { problem, busy, result, submit } = useSubmit<EventsResult>(`/api/patients/${props.episodeId}/events`, props.onSaved);
  const errors = fieldErrors(problem);

  function onSubmit(e: FormEvent) {
    e.preventDefault();
    const at = localInputToIso(time);
    if (kind === 'hemolysis') {
      const ev: Record<string, unknown> = { kind, time: at };
      const h = yesNo(hemoglobinuria);
      if (h !== undefined) ev['hemoglobinuria'] = h;
      return void submit({ events: [ev] });
    }
    const facts: Record<string, unknown> = { site };
    const o = yesNo(overt);
    if (o !== undefined) facts['overt'] = o;
    if (hbBase !== '') facts['hbBaseline'] = { value: num(hbBase), unit: hbUnit };
    if (hbNadir !== '') facts['hbNadir'] = { value: num(hbNadir), unit: hbUnit };
    if (rbc !== '') facts['rbcUnitsWithin48h'] = num(rbc);
    const c = yesNo(compromise);
    if (c !== undefined) facts['hemodynamicCompromise'] = c;
    const s = yesNo(surgical);
    if (s !== undefined) facts['surgicalOrEndovascularControl'] = s;
    if (description.trim() !== '') facts['description'] = description.trim();
    return void submit({ events: [{ kind, time: at, facts }] });
  }

  const shown = ['events[0].kind', 'events[0].time', 'events[0].hemoglobinuria', ...['site', 'overt', 'hbBaseline', 'hbNadir', 'rbcUnitsWithin48h', 'hemodynamicCompromise', 'surgicalOrEndovascularControl', 'description'].map((f) => `${FACTS}.${f}`)];
  return (
    <form className="entry" onSubmit={onSubmit} aria-labelledby="ev-h">
      <h3 id="ev-h">Event</h3>
      <div className="row">
        <Field label="Event" field="events[0].kind" errors={errors}>
          {(c) => (
            <select id={c.id} value={kind} onChange={(e) => setKind(e.target.value as 'bleeding' | 'hemolysis')} aria-describedby={c.describedBy}>
              <option value="bleeding">Bleeding</option>
              <option value="hemolysis">Hemolysis</option>
            </select>
          )}
        </Field>
        <Field label={timeLabel('Onset')} field="events[0].time" errors={errors}>
          {(c) => <input id={c.id} name="time" type="datetime-local" value={time} onChange={(e) => setTime(e.target.value)} required aria-describedby={c.describedBy} />}
        </Field>
      </div>
      {kind === 'bleeding' ? (
        <div className="row">
          <Field label="Bleeding site" field={`${FACTS}.site`} errors={errors}>
            {(c) => (
              <select id={c.id} value={site} onChange={(e) => setSite(e.target.value)} aria-describedby={c.describedBy}>
                {BLEEDING_SITES.map((s) => <option key={s} value={s}>{words(s)}</option>)}
              </select>
            )}
          </Field>
          <YesNo label="Overt" field={`${FACTS}.overt`} errors={errors} value={overt} onChange={setOvert} />
          <Field label="Hb baseline" field={`${FACTS}.hbBaseline`} errors={errors}>
            {(c) => <input id={c.id} name="hbBaseline" inputMode="decimal" value={hbBase} onChange={(e) => setHbBase(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <Field label="Hb nadir" field={`${FACTS}.hbNadir`} errors={errors}>
            {(c) => <input id={c.id} name="hbNadir" inputMode="decimal" value={hbNadir} onChange={(e) => setHbNadir(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <Field label="Hb unit">
            {(c) => (
              <select id={c.id} value={hbUnit} onChange={(e) => setHbUnit(e.target.value)}>
                <option>g/dL</option>
                <option>g/L</option>
                <option>mmol/L</option>
              </select>
            )}
          </Field>
          <Field label="RBC units within 48 h" field={`${FACTS}.rbcUnitsWithin48h`} errors={errors}>
            {(c) => <input id={c.id} inputMode="numeric" value={rbc} onChange={(e) => setRbc(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
          <YesNo label="Hemodynamic compromise" field={`${FACTS}.hemodynamicCompromise`} errors={errors} value={compromise} onChange={setCompromise} />
          <YesNo label="Surgical or endovascular control" field={`${FACTS}.surgicalOrEndovascularControl`} errors={errors} value={surgical} onChange={setSurgical} />
          <Field label="Description" field={`${FACTS}.description`} errors={errors} className="wide">
            {(c) => <input id={c.id} value={description} onChange={(e) => setDescription(e.target.value)} aria-describedby={c.describedBy} />}
          </Field>
        </div>
      ) : (
        <div className="row">
          <YesNo label="Hemoglobinuria" field="events[0].hemoglobinuria" errors={errors} value={hemoglobinuria} onChange={setHemoglobinuria} />
        </div>
      )}
      <ProblemBox errors={errors} shown={shown} />
      <button type="submit" disabled={busy}>Save event</button>
      {result && (
        <div className="saved" role="status">
          <p>Saved.</p>
          {result.events.map((ev, i) =>
            ev.bleeding ? (
              <div key={i}>
                <p>
                  <strong>BARC {ev.bleeding.classes.barc.class}</strong>
                  {ev.bleeding.missing.length > 0 ? ` (not recorded: ${ev.bleeding.missing.join(', ')})` : ''}
                </p>
                <BleedingClasses event={ev.bleeding} />
              </div>
            ) : (
              <p key={i}>
                {words(ev.kind)} recorded{ev.hemolysisGrade !== undefined ? `; hemolysis grade: ${ev.hemolysisGrade ?? 'none'}` : ''}
              </p>
            ),
          )}
        </div>
      )}
    </form>
  );
}
