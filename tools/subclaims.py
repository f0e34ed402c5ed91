#!/usr/bin/python3
# Rewrite each claim's "Sub-claims:" list in docs/claims.md from the sub-claims
# the built twlab registers (`twlab list --claims`, `twlab explain ID`), so the
# list never drifts from the judges; tests/unit/test_docs.c checks the result.
#
# usage: tools/subclaims.py [ROOT]   (ROOT: the checkout, with build/twlab; default .)
import re
import subprocess
import sys
import textwrap

root = sys.argv[1] if len(sys.argv) > 1 else '.'
decls = {}
tw = root + '/build/twlab'
for line in subprocess.run([tw, 'list', '--claims'], capture_output=True, text=True).stdout.split('\n')[1:]:
    if not line.strip():
        continue
    sid = line.split()[0]
    ex = subprocess.run([tw, 'explain', sid], capture_output=True, text=True).stdout
    unit = line.split()[1]
    what = re.search(r'^Measures: (.*)\.$', ex, re.M).group(1)
    if unit != '-' and what.endswith(' (' + unit + ')'):
        what = what[:-len(unit) - 3]
    art = re.search(r"^The article's prediction: (.*)\.$", ex, re.M).group(1)
    fact = re.search(r"^The kernel's window comes from (K\d+)", ex, re.M).group(1)
    decls[sid] = dict(unit=unit, fact=fact, what=what, article=art)
p = root + '/docs/claims.md'
s = open(p).read()
out = []
lines = s.split('\n')
i = 0
claim = None
while i < len(lines):
    l = lines[i]
    m = re.match(r'^## (A\d\dr?):', l)
    if m:
        claim = m.group(1)
    if claim and (l.startswith('Sub-claims:')):
        ids = sorted(k for k in decls if k.split('.')[0] == claim)
        # skip the old list: a one-line "Sub-claims: none ..." is the line itself
        j = i + 1
        if l.strip() == 'Sub-claims:':
            while j < len(lines) and (lines[j] == '' or lines[j].startswith('- ') or lines[j].startswith('  ')):
                if lines[j] == '' and j + 1 < len(lines) and not (lines[j+1].startswith('- ') or lines[j+1].startswith('  ')):
                    break
                j += 1
        if not ids:
            out.append('Sub-claims: none registered yet.')
        else:
            out.append('Sub-claims:')
            out.append('')
            for k in ids:
                d = decls[k]
                art = d['article']
                unit = d['unit'] + ', ' if d['unit'] not in ('', '-') else ''
                txt = '- `%s` (%s%s): %s; the article: %s.' % (k, unit, d['fact'], d['what'], art.rstrip('.'))
                w = textwrap.wrap(txt, 72, subsequent_indent='  ', break_long_words=False, break_on_hyphens=False)
                out.extend(w)
        i = j
        continue
    out.append(l)
    i += 1
open(p, 'w').write('\n'.join(out))
print(len(decls), 'sub-claims')
