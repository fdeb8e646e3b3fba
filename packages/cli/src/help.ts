/**
 * Help for one subcommand out of a command's usage text: `pujiang gov propose set-pacing --help`
 * prints the lines about `gov propose` and, under it, `set-pacing`, not the whole group. The
 * usage texts stay the single source: a block is a line that names the words (`pujiang gov
 * propose ...`, or `  set-pacing ...` under it) with the lines indented under it.
 */

const indentOf = (line: string) => line.length - line.trimStart().length;

/** The words of a usage line's head: `pujiang gov members | config` names gov, members and config. */
function namesWord(line: string, prefix: string[], word: string): boolean {
  const text = line.trim();
  const head = prefix.length > 0 ? `${prefix.join(' ')} ` : '';
  if (!text.startsWith(head)) return false;
  const rest = text.slice(head.length);
  // "a | b | c" and "identity ADDRESS | policy RESOURCE": each alternative's first word.
  return rest
    .split(/\s+\|\s+/)
    .map((alternative) => alternative.split(/\s+/)[0])
    .some((w) => w === word || w === `${word}|` || w?.split('|').includes(word));
}

/** The block of lines starting at `start`: the line and those indented deeper than it, or continuing it. */
function blockAt(lines: readonly string[], start: number): string[] {
  const base = indentOf(lines[start]!);
  const block = [lines[start]!];
  for (let i = start + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '' || indentOf(line) <= base) break;
    block.push(line);
  }
  return block;
}

/**
 * The part of `usage` about `command words...` (words that are not options), or the whole
 * usage when the words name nothing in it (an argument, or a subcommand it does not list).
 */
export function narrowHelp(usage: string, command: string, words: readonly string[]): string {
  const lines = usage.split('\n');
  const first = words[0];
  // A group's title ("Governance (transactions take ...):") stays: it says what every line shares.
  const title = lines[0] !== undefined && !lines[0].trimStart().startsWith('pujiang') ? [lines[0]] : [];
  if (first === undefined) {
    const own = commandOnly(lines, command);
    return own === undefined ? usage : [...title, own].join('\n');
  }
  const top = lines.findIndex((l) => namesWord(l, ['pujiang', command], first));
  if (top < 0) {
    // `pujiang crypto <command>` lists its subcommands indented under one line.
    const sub = lines.findIndex((l) => indentOf(l) > 0 && namesWord(l, [], first));
    const head = lines.slice(0, sub).findLastIndex((l) => l.startsWith(`pujiang ${command}`));
    if (sub < 0 || head < 0) return usage;
    return [...title, lines[head]!, ...blockAt(lines, sub)].join('\n');
  }
  let block = blockAt(lines, top);
  // Every line naming the first word (`gov propose` may have one line per form).
  for (let i = top + 1; i < lines.length; i++)
    if (indentOf(lines[i]!) === indentOf(lines[top]!) && namesWord(lines[i]!, ['pujiang', command], first))
      block = [...block, ...blockAt(lines, i)];
  const second = words[1];
  if (second === undefined) return [...title, ...block].join('\n');
  const sub = block.findIndex((l, i) => i > 0 && namesWord(l, [], second));
  if (sub < 0) return [...title, ...block].join('\n');
  return [...title, block[0]!, ...blockAt(block, sub)].join('\n');
}

/** When one usage text serves several commands (status, send, balance...), the blocks of this one. */
function commandOnly(lines: readonly string[], command: string): string | undefined {
  const heads = lines.map((l, i) => [l, i] as const).filter(([l]) => /^pujiang [a-z]/.test(l));
  const mine = heads.filter(([l]) => l.startsWith(`pujiang ${command} `) || l === `pujiang ${command}`);
  if (mine.length === 0 || mine.length === heads.length) return undefined;
  return mine.flatMap(([, i]) => blockAt(lines, i)).join('\n');
}

/** The words before `--help`, `-h` or after `help`: the subcommand path asked about. */
export function helpWords(rest: readonly string[]): string[] {
  const words: string[] = [];
  for (const arg of rest) {
    if (arg === '--help' || arg === '-h') break;
    if (arg === 'help' && words.length === 0) continue;
    if (arg.startsWith('-')) break;
    words.push(arg);
  }
  return words;
}
