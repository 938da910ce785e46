// The patient board (admin: every site, with a site filter; clinician: own sites): SCAI stage, devices, hours on
// support, last anti-Xa and aPTT against the band in force with the pair's classification, open alerts. Each row
// links to the patient view. Everything shown is computed by the server (src/server/patient-board.ts).
import { useEffect, useState, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { bandText, fmtValue, words } from '../format.js';
import { navigate } from '../router.js';
import type { Board, BoardLab, Me } from '../types.js';

function Lab(props: { readonly lab: BoardLab | null; readonly unit: string }): ReactElement {
  if (!props.lab) return <span className="muted">none</span>;
  const { lab } = props;
  return (
    <span>
      {fmtValue(lab.value, lab.censored)} {props.unit} <span className={`status ${lab.status ?? ''}`}>{words(lab.status ?? 'no band')}</span>
      <br />
      <span className="muted">target {bandText(lab.band)}</span>
    </span>
  );
}

export function BoardPage(props: { readonly me: Me; readonly site: string | null; readonly all: boolean }): ReactElement {
  const { me, site, all } = props;
  const [board, setBoard] = useState<Board | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [sites, setSites] = useState<readonly string[]>(me.role === 'admin' ? [] : me.sites);

  useEffect(() => {
    const q = new URLSearchParams({ limit: '200', status: all ? 'all' : 'active' });
    if (site) q.set('site', site);
    setBoard(null);
    setProblem(null);
    api<Board>(`/api/patients?${q.toString()}`)
      .then((b) => {
        setBoard(b);
        if (me.role === 'admin' && !site) setSites((prev) => [...new Set([...prev, ...b.items.map((i) => i.site)])].sort());
      })
      .catch((e: unknown) => setProblem(problemFrom(e)));
  }, [site, all, me.role]);

  const go = (nextSite: string | null, nextAll: boolean) => {
    const q = new URLSearchParams();
    if (nextSite) q.set('site', nextSite);
    if (nextAll) q.set('status', 'all');
    navigate(`/patients${q.size > 0 ? `?${q.toString()}` : ''}`);
  };

  return (
    <section>
      <h1>Patient board</h1>
      <div className="filters">
        <label>
          Site
          <select value={site ?? ''} onChange={(e) => go(e.target.value || null, all)}>
            <option value="">{me.role === 'admin' ? 'All sites' : 'All my sites'}</option>
            {sites.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={all} onChange={(e) => go(site, e.target.checked)} />
          Include discharged and deceased
        </label>
      </div>
      {problem && <p role="alert" className="problem">{problem.title}: {problem.detail}</p>}
      {!board && !problem && <p>Loading…</p>}
      {board && board.items.length === 0 && <p>No {all ? '' : 'active '}patients at {site ?? (me.role === 'admin' ? 'any site' : 'your sites')}.</p>}
      {board && board.items.length > 0 && (
        <div className="table-wrap">
          <table className="board">
            <caption>
              {board.total} patient(s){board.total > board.items.length ? `, first ${board.items.length} shown` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Patient</th>
                <th scope="col">SCAI</th>
                <th scope="col">Devices</th>
                <th scope="col">Hours on support</th>
                <th scope="col">Anti-Xa</th>
                <th scope="col">aPTT</th>
                <th scope="col">Alerts</th>
              </tr>
            </thead>
            <tbody>
              {board.items.map((row) => (
                <tr key={row.episodeId}>
                  <th scope="row">
                    <a className="row-link" href={`#/patients/${row.episodeId}`}>
                      {[row.patient.familyName, row.patient.givenName].filter(Boolean).join(', ') || row.patient.key}
                    </a>
                    <br />
                    <span className="muted">
                      {row.site} · {row.sourceEpisodeId}
                      {row.patient.mrn ? ` · MRN ${row.patient.mrn}` : ''}
                    </span>
                  </th>
                  <td>{row.scai?.label ?? '—'}</td>
                  <td>{row.devices.filter((d) => d.inPlace).map((d) => d.label).join(', ') || <span className="muted">none in place</span>}</td>
                  <td>{row.hoursOnSupport ?? '—'}</td>
                  <td>
                    <Lab lab={row.antiXa} unit="IU/mL" />
                  </td>
                  <td>
                    <Lab lab={row.aptt} unit="s" />
                    {row.lastPair && <div className="muted">pair: {words(row.lastPair.pattern)}</div>}
                  </td>
                  <td>
                    {row.alerts.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      <ul className="alerts">
                        {row.alerts.map((a, i) => (
                          <li key={i} className={`alert ${a.severity}`}>
                            {a.text}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
