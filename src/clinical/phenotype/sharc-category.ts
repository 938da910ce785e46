// SHARC etiologic category of cardiogenic shock (Waksman et al., Circulation 2023 [V]; clinical reference 3.1):
// AMI-CS, HF-CS (de novo or acute-on-chronic), secondary (non-myocardial) CS, post-cardiotomy CS; mixed shock flagged.
// The category is a recorded clinical judgement (episode.clinical.etiology); this rule maps and explains it.
import type { RuleResult } from '../rule-result.js';
import type { Episode } from '../episode/episode.js';

export type SharcCategory = 'AMI-CS' | 'HF-CS' | 'secondary-CS' | 'post-cardiotomy-CS' | 'unknown';

export interface SharcClassification {
  readonly category: SharcCategory;
  readonly hfSubtype?: 'de novo' | 'acute-on-chronic';
  readonly mixedShock: boolean | 'unknown';
  readonly mixedComponent?: string;
}

export function classifySharcCategory(clinical: Episode['clinical']): RuleResult<SharcClassification> {
  const e = clinical.etiology;
  const mixed = clinical.mixedShock ?? 'unknown';
  const missing: string[] = [];
  if (e === undefined) missing.push('etiology');
  if (clinical.mixedShock === undefined) missing.push('mixedShock');
  const category: SharcCategory =
    e === 'AMI' ? 'AMI-CS' : e === 'HF-denovo' || e === 'HF-acute-on-chronic' ? 'HF-CS' : e === 'secondary' ? 'secondary-CS' : e === 'post-cardiotomy' ? 'post-cardiotomy-CS' : 'unknown';
  const result: SharcClassification = {
    category,
    ...(e === 'HF-denovo' ? { hfSubtype: 'de novo' as const } : e === 'HF-acute-on-chronic' ? { hfSubtype: 'acute-on-chronic' as const } : {}),
    mixedShock: mixed,
    ...(clinical.mixedComponent ? { mixedComponent: clinical.mixedComponent } : {}),
  };
  const reasons = [
    { criterion: `sharc_${category}`, text: e ? `recorded etiology '${e}' → SHARC ${category}${result.hfSubtype ? ` (${result.hfSubtype})` : ''}` : 'no etiology recorded' },
  ];
  if (mixed === true) reasons.push({ criterion: 'mixed_shock', text: `mixed shock${clinical.mixedComponent ? ` with a ${clinical.mixedComponent} component` : ''}` });
  return { result, reasons, missing };
}
