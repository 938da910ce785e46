// The audit trail (auditor, admin): newest first, a page at a time (?before= cursor), and the chain check.
import { useEffect, useState, type ReactElement } from 'react';
import { api, problemFrom, type Problem } from '../api.js';
import { fmtTime } from '../format.js';
import type { AuditPage as Page } from '../types.js';

const LIMIT = 50;

export function AuditPage(props: { readonly before: string | null }): ReactElement {
  const [page, setPage] = useState<Page | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [verify, setVerify] = useState<string>('');

  useEffect(() => {
    setPage(null);
    const q = new URLSearchParams({ limit: String(LIMIT) });
    if (props.before) q.set('before', props.before);
    api<Page>(`/api/audit?${q.toString()}`)
      .then(setPage)
      .catch((e: unknown) => setProblem(problemFrom(e)));
  }, [props.before]);

  async function check() {
    try {
      const r = await api<{ ok: boolean; records: number; problems: { seq: number; problem: string }[] }>('/api/audit/verify');
      setVerify(r.ok ? `Chain intact: ${r.records} records.` : `Chain broken: ${r.problems.map((p) => `#${p.seq} ${p.problem}`).join('; ')}`);
    } catch (e) {
      setVerify(problemFrom(e).detail);
    }
  }

  return (
    <section>
      <h1>Audit log</h1>
      <div className="buttons">
        <button type="button" onClick={() => void check()}>Verify the hash chain</button>
        {verify && <span role="status">{verify}</span>}
      </div>
      {problem && <p role="alert" className="problem">{problem.title}: {problem.detail}</p>}
      {!page && !problem && <p>Loading…</p>}
      {page && (
        <>
          <div className="table-wrap">
            <table className="audit">
              <thead>
                <tr><th scope="col">#</th><th scope="col">At</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Entity</th><th scope="col">Reason</th></tr>
              </thead>
              <tbody>
                {page.items.map((r) => (
                  <tr key={r.seq}>
                    <td>{r.seq}</td>
                    <td>{fmtTime(r.at)}</td>
                    <td>{r.actor}</td>
                    <td>{r.action}</td>
                    <td>{r.entity} {r.entityKey}</td>
                    <td>{r.reason ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label="Audit pages">
            {props.before && <a href="#/audit">Newest</a>}
            {page.nextBefore !== null && <a href={`#/audit?before=${page.nextBefore}`}>Older records</a>}
          </nav>
        </>
      )}
    </section>
  );
}
