import { join } from 'node:path';
import { encode } from 'gpt-tokenizer/encoding/o200k_base';
import { describe, expect, it } from 'vitest';
import { parseSkillFile, type Skill, skillExcerpt } from '../../src/skill/index.js';

const body = `Intro line about the skill.

# Backup
Stop writes first.

\`\`\`sh
# not a heading: a comment in a fenced block
pg_dump db > db.sql
\`\`\`

## Verify
Restore into a scratch database.

## Clean up
Remove dumps older than a week.
`;

function withBody(text: string): Skill {
  return parseSkillFile(
    join('/skills', 'backup', 'SKILL.md'),
    `---\nname: backup\ndescription: b\n---\n${text}`,
  );
}

describe('a skill excerpt', () => {
  const skill = withBody(body);

  it('is the whole body when it fits', () => {
    expect(skillExcerpt(skill, 10_000)).toEqual({
      text: body.trimEnd(),
      size: body.trimEnd().length,
      truncated: false,
      omitted: [],
    });
  });

  it('stops at a section boundary inside the budget and names the sections left out', () => {
    const upToVerify = body.slice(0, body.indexOf('## Clean up')).trimEnd();
    const excerpt = skillExcerpt(skill, upToVerify.length + 5);
    expect(excerpt.text).toBe(upToVerify);
    expect(excerpt).toMatchObject({ truncated: true, omitted: ['Clean up'] });
    // a "#" line inside a code fence does not start a section
    const upToBackup = body.slice(0, body.indexOf('## Verify')).trimEnd();
    expect(skillExcerpt(skill, upToVerify.length - 1).text).toBe(upToBackup);
  });

  it('never exceeds a token budget counted by a real tokenizer', () => {
    const tokens = (text: string) => encode(text).length;
    for (const budget of [5, 12, 20, 30, 45, 60, 200]) {
      const excerpt = skillExcerpt(skill, budget, tokens);
      expect(excerpt.size).toBeLessThanOrEqual(budget);
      expect(tokens(excerpt.text)).toBe(excerpt.size);
    }
  });

  it('cuts a first section too big for the budget at a line', () => {
    const long = withBody('# Only\nline one\nline two\nline three\n');
    const excerpt = skillExcerpt(long, '# Only\nline one\nline tw'.length);
    expect(excerpt).toMatchObject({ text: '# Only\nline one', truncated: true, omitted: [] });
    expect(skillExcerpt(long, 3)).toMatchObject({ text: '', truncated: true, omitted: ['Only'] });
  });
});
