// The protocol's next step, always inside a box labelled as decision support (the label comes from the server).
import type { ReactElement } from 'react';
import { fmtTime, words } from '../format.js';
import type { NextStep } from '../types.js';

export function DecisionSupport(props: { readonly step: NextStep }): ReactElement {
  const s = props.step;
  return (
    <aside className="decision-support" aria-label={s.label}>
      <p className="ds-label">{s.label}</p>
      <p>
        <strong>{words(s.action)}</strong>: {s.text}
      </p>
      <p className="muted">
        on {s.test === 'anti_xa_IU_mL' ? 'anti-Xa' : 'aPTT'} at {fmtTime(s.time)}
        {s.recheckAt ? `; recheck at ${fmtTime(s.recheckAt)}` : ''}
      </p>
      {s.cautions.length > 0 && (
        <ul>
          {s.cautions.map((c, i) => <li key={i}>{c}</li>)}
        </ul>
      )}
    </aside>
  );
}
