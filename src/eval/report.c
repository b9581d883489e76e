/* report.c — `fix eval --report`: one self-contained HTML page (inline CSS and SVG, no scripts, no
 * network) with accuracy by language and category, the time and token distributions and every
 * case; given two runs, a side-by-side with the cases that improved or regressed. Also the text of
 * `fix eval --compare`. */
#include "fix/eval.h"

#include "groups.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void esc(struct fix_buf *o, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '<': fix_buf_puts(o, "&lt;"); break;
    case '>': fix_buf_puts(o, "&gt;"); break;
    case '&': fix_buf_puts(o, "&amp;"); break;
    case '"': fix_buf_puts(o, "&quot;"); break;
    case '\'': fix_buf_puts(o, "&#39;"); break;
    default: fix_buf_append(o, s, 1);
    }
  }
}

static int repaired_count(const struct fix_eval_results *r) {
  int n = 0;
  for (size_t i = 0; i < r->n; i++)
    n += r->v[i].repaired;
  return n;
}

static double pct(int a, int n) { return n ? 100.0 * a / n : 0; }

static const struct fix_case_result *find(const struct fix_eval_results *r, const char *id) {
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].id && !strcmp(r->v[i].id, id))
      return &r->v[i];
  return NULL;
}

static const char *verdict(const struct fix_case_result *c) {
  return c->repaired ? "repaired" : c->error ? c->error : !c->build_passed ? "build fails"
                                   : !c->check_passed                      ? "check fails"
                                                                            : "deleted code";
}

/* Walks two key-sorted group lists together: the next key's group in each (NULL where one list
 * lacks that key); 0 when both are done. */
static int next_pair(const struct eval_group *ga, int na, int *i, const struct eval_group *gb, int nb, int *j,
                     const struct eval_group **ea, const struct eval_group **eb) {
  if (*i >= na && *j >= nb)
    return 0;
  int c = *i >= na ? 1 : *j >= nb ? -1 : strcmp(ga[*i].key, gb[*j].key);
  *ea = c <= 0 ? &ga[(*i)++] : NULL;
  *eb = c >= 0 ? &gb[(*j)++] : NULL;
  return 1;
}

/* Accuracy bars, one row per group of `a` (and of `b` beside it when given). */
static void accuracy_chart(struct fix_buf *o, const char *title, const struct fix_eval_results *a,
                           const struct fix_eval_results *b, enum eval_key k) {
  struct eval_group *ga, *gb = NULL;
  int na = eval_groups(a, k, &ga), nb = b ? eval_groups(b, k, &gb) : 0;
  /* rows: the union of both runs' keys, in key order (both lists are sorted) */
  int rows = 0, i = 0, j = 0;
  const struct eval_group *ea, *eb;
  while (next_pair(ga, na, &i, gb, nb, &j, &ea, &eb))
    rows++;
  const int row_h = b ? 30 : 20, label_w = 230, bar_w = 420, top = 8;
  int h = top + rows * row_h + 24;
  fix_buf_printf(o, "<h2>%s</h2>\n<svg class=\"chart\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", title,
                 label_w + bar_w + 120, h);
  esc(o, title);
  fix_buf_puts(o, "\">\n");
  for (int t = 0; t <= 100; t += 25) {
    int x = label_w + bar_w * t / 100;
    fix_buf_printf(o,
                   "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" class=\"grid\"/>"
                   "<text x=\"%d\" y=\"%d\" class=\"tick\">%d%%</text>\n",
                   x, top, x, top + rows * row_h, x, top + rows * row_h + 16, t);
  }
  int y = top;
  for (i = j = 0; next_pair(ga, na, &i, gb, nb, &j, &ea, &eb); y += row_h) {
    fix_buf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"label\">", label_w - 8, y + (b ? 19 : 14));
    esc(o, ea ? ea->key : eb->key);
    fix_buf_puts(o, "</text>\n");
    const struct eval_group *pair[2] = {ea, eb};
    for (int s = 0; s < (b ? 2 : 1); s++) {
      const struct eval_group *g = pair[s];
      int by = y + 3 + s * 13, bh = b ? 11 : 14;
      if (!g)
        continue;
      double p = pct(g->rep, g->n);
      fix_buf_printf(o,
                     "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" class=\"track\"/>"
                     "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" class=\"bar%s\"><title>",
                     label_w, by, bar_w, bh, label_w, by, bar_w * p / 100, bh, s ? " b" : "");
      esc(o, g->key);
      fix_buf_printf(o, ": %d of %d repaired</title></rect>"
                        "<text x=\"%d\" y=\"%d\" class=\"value\">%.0f%% (%d/%d)</text>\n",
                     g->rep, g->n, label_w + bar_w + 6, by + bh - 2, p, g->rep, g->n);
    }
  }
  fix_buf_puts(o, "</svg>\n");
  free(ga);
  free(gb);
}

/* A histogram of `v` over the bins [edge[i], edge[i+1]); the last bin is open. */
static void histogram(struct fix_buf *o, const char *title, const double *v, size_t n, const double *edge, int nbins,
                      const char *const *names, const char *unit) {
  int count[16] = {0}, most = 1;
  for (size_t i = 0; i < n; i++) {
    int b = nbins - 1;
    while (b > 0 && v[i] < edge[b])
      b--;
    count[b]++;
  }
  for (int b = 0; b < nbins; b++)
    most = count[b] > most ? count[b] : most;
  const int col = 64, hmax = 140, top = 18;
  fix_buf_printf(o, "<svg class=\"chart\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", col * nbins + 20,
                 top + hmax + 40);
  esc(o, title);
  fix_buf_puts(o, "\">\n");
  for (int b = 0; b < nbins; b++) {
    double h = (double)hmax * count[b] / most;
    int x = 10 + b * col;
    fix_buf_printf(o,
                   "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%.1f\" class=\"bar\"><title>%s %s: %d cases</title>"
                   "</rect><text x=\"%d\" y=\"%.1f\" class=\"count\">%d</text>"
                   "<text x=\"%d\" y=\"%d\" class=\"bin\">%s</text>\n",
                   x + 4, top + hmax - h, col - 8, h, names[b], unit, count[b], x + col / 2, top + hmax - h - 4,
                   count[b], x + col / 2, top + hmax + 16, names[b]);
  }
  fix_buf_printf(o, "<text x=\"%d\" y=\"%d\" class=\"bin\">%s</text></svg>\n", 10 + col * nbins / 2,
                 top + hmax + 34, unit);
}

/* Where the time went, summed over the cases: one stacked bar with a legend. */
static void time_split(struct fix_buf *o, const struct fix_eval_results *r) {
  double part[5] = {0};
  for (size_t i = 0; i < r->n; i++) {
    const struct fix_case_result *c = &r->v[i];
    double other = c->total_s - c->build_s - c->check_s - c->model_s - c->runner_s;
    part[0] += c->build_s;
    part[1] += c->check_s;
    part[2] += c->model_s;
    part[3] += other > 0 ? other : 0;
    part[4] += c->runner_s;
  }
  static const char *const name[5] = {"builds", "checks", "model", "fix itself", "runner"};
  double sum = part[0] + part[1] + part[2] + part[3] + part[4];
  const int w = 760;
  fix_buf_printf(o, "<svg class=\"chart\" width=\"%d\" height=\"70\" role=\"img\" aria-label=\"time split\">\n", w + 20);
  double x = 10;
  for (int k = 0; k < 5; k++) {
    double pw = sum > 0 ? w * part[k] / sum : 0;
    fix_buf_printf(o,
                   "<rect x=\"%.1f\" y=\"6\" width=\"%.1f\" height=\"22\" class=\"t%d\"><title>%s: %.1f s</title></rect>\n",
                   x, pw, k, name[k], part[k]);
    x += pw;
    fix_buf_printf(o,
                   "<rect x=\"%d\" y=\"40\" width=\"12\" height=\"12\" class=\"t%d\"/>"
                   "<text x=\"%d\" y=\"51\" class=\"legend\">%s %.1f s (%.0f%%)</text>\n",
                   10 + k * 156, k, 26 + k * 156, name[k], part[k], sum > 0 ? 100 * part[k] / sum : 0);
  }
  fix_buf_puts(o, "</svg>\n");
}

static void distributions(struct fix_buf *o, const struct fix_eval_results *r) {
  double *v = calloc(r->n + 1, sizeof *v);
  if (!v)
    return;
  static const double tedge[] = {0, 0.5, 1, 2, 5, 10, 30, 60, 120};
  static const char *const tname[] = {"&lt;0.5", "0.5-1", "1-2", "2-5", "5-10", "10-30", "30-60", "60-120", "&gt;120"};
  for (size_t i = 0; i < r->n; i++)
    v[i] = r->v[i].total_s;
  fix_buf_puts(o, "<h2>Time</h2>\n<p>Seconds a case took, start to verdict:</p>\n");
  histogram(o, "time per case", v, r->n, tedge, 9, tname, "seconds per case");
  fix_buf_puts(o, "<p>Where the time went (all cases):</p>\n");
  time_split(o, r);
  static const double kedge[] = {0, 1, 500, 1000, 2000, 5000, 10000, 20000};
  static const char *const kname[] = {"0", "1-500", "500-1k", "1k-2k", "2k-5k", "5k-10k", "10k-20k", "&gt;20k"};
  long tin = 0, tout = 0;
  int calls = 0;
  for (size_t i = 0; i < r->n; i++) {
    v[i] = (double)(r->v[i].tokens_in + r->v[i].tokens_out);
    tin += r->v[i].tokens_in;
    tout += r->v[i].tokens_out;
    calls += r->v[i].model_calls;
  }
  fix_buf_printf(o, "<h2>Tokens</h2>\n<p>%d model calls; %ld tokens in, %ld out.%s</p>\n", calls, tin, tout,
                 calls ? " Tokens (in + out) per case:" : " No model was asked in this run.");
  if (calls)
    histogram(o, "tokens per case", v, r->n, kedge, 8, kname, "tokens per case");
  free(v);
}

static void case_row(struct fix_buf *o, const struct fix_case_result *c, const struct fix_case_result *other) {
  fix_buf_printf(o, "<tr class=\"%s\"><td>", c->repaired ? "ok" : "no");
  esc(o, c->id);
  fix_buf_puts(o, "</td><td>");
  esc(o, c->category);
  fix_buf_puts(o, "</td><td>");
  for (size_t e = 0; e < c->errors.n && e < 2; e++) {
    if (e)
      fix_buf_puts(o, "; ");
    esc(o, c->errors.v[e]);
  }
  fix_buf_puts(o, "</td><td>");
  if (other) {
    esc(o, verdict(other));
    fix_buf_puts(o, " &rarr; ");
  }
  esc(o, verdict(c));
  if (c->missing) {
    fix_buf_puts(o, " (lost ");
    esc(o, c->missing);
    fix_buf_puts(o, ")");
  }
  fix_buf_printf(o, "</td><td>%s</td><td>%d</td><td>%d</td><td>%ld</td><td>%.1f</td></tr>\n", c->exact ? "yes" : "",
                 c->iterations, c->model_calls, c->tokens_in + c->tokens_out, c->total_s);
}

static void case_table_head(struct fix_buf *o) {
  fix_buf_puts(o, "<table><tr><th>case</th><th>category</th><th>errors</th><th>result</th><th>exact</th>"
                  "<th>iterations</th><th>calls</th><th>tokens</th><th>seconds</th></tr>\n");
}

static void header(struct fix_buf *o, const char *label, const struct fix_eval_results *r) {
  int rep = repaired_count(r);
  fix_buf_printf(o, "<div class=\"run\"><div class=\"big\">%.1f%%</div><div>%s%d of %zu cases repaired</div><div>",
                 pct(rep, (int)r->n), label, rep, r->n);
  esc(o, r->tool);
  fix_buf_printf(o, "; %.1f s wall</div></div>\n", r->wall_s);
}

static const char style[] =
    "<style>body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}"
    "h1{font-size:22px}h2{font-size:17px;margin-top:28px}.runs{display:flex;gap:24px}"
    ".run{border:1px solid #ddd;border-radius:6px;padding:10px 16px}.big{font-size:30px;font-weight:600}"
    ".chart text{font-size:12px;fill:#333}.label{text-anchor:end}.tick,.count,.bin{text-anchor:middle;fill:#666}"
    ".grid{stroke:#eee}.track{fill:#f3f3f3}.bar{fill:#3b7dd8}.bar.b{fill:#e07b39}"
    ".t0{fill:#3b7dd8}.t1{fill:#7fb3f0}.t2{fill:#e07b39}.t3{fill:#9c9c9c}.t4{fill:#5bb55b}"
    "table{border-collapse:collapse;margin-top:8px;font-size:12px}td,th{border-bottom:1px solid #eee;"
    "padding:3px 8px;text-align:left;vertical-align:top}tr.ok td:nth-child(4){color:#18794e}"
    "tr.no td:nth-child(4){color:#b42318}.key span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}"
    "</style>\n";

void fix_eval_report(const struct fix_eval_results *a, const struct fix_eval_results *b, struct fix_buf *o) {
  fix_buf_puts(o, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>fix eval</title>\n");
  fix_buf_puts(o, style);
  fix_buf_puts(o, "</head><body>\n<h1>fix eval</h1>\n<div class=\"runs\">\n");
  header(o, b ? "A: " : "", a);
  if (b)
    header(o, "B: ", b);
  fix_buf_puts(o, "</div>\n");
  if (b)
    fix_buf_puts(o, "<p class=\"key\">Bars:<span style=\"background:#3b7dd8\"></span>A "
                    "<span style=\"background:#e07b39\"></span>B</p>\n");
  accuracy_chart(o, "Accuracy by language", a, b, EVAL_BY_LANGUAGE);
  accuracy_chart(o, "Accuracy by category", a, b, EVAL_BY_CATEGORY);
  if (b) {
    int up = 0, down = 0;
    for (size_t i = 0; i < b->n; i++) {
      const struct fix_case_result *pa = find(a, b->v[i].id);
      up += pa && !pa->repaired && b->v[i].repaired;
      down += pa && pa->repaired && !b->v[i].repaired;
    }
    fix_buf_printf(o, "<h2>Improved in B (%d)</h2>\n", up);
    case_table_head(o);
    for (size_t i = 0; i < b->n; i++) {
      const struct fix_case_result *pa = find(a, b->v[i].id);
      if (pa && !pa->repaired && b->v[i].repaired)
        case_row(o, &b->v[i], pa);
    }
    fix_buf_printf(o, "</table>\n<h2>Regressed in B (%d)</h2>\n", down);
    case_table_head(o);
    for (size_t i = 0; i < b->n; i++) {
      const struct fix_case_result *pa = find(a, b->v[i].id);
      if (pa && pa->repaired && !b->v[i].repaired)
        case_row(o, &b->v[i], pa);
    }
    fix_buf_puts(o, "</table>\n");
  }
  const struct fix_eval_results *last = b ? b : a;
  if (b)
    fix_buf_puts(o, "<h2>Run B in detail</h2>\n");
  distributions(o, last);
  fix_buf_printf(o, "<h2>Cases (%zu)</h2>\n", last->n);
  case_table_head(o);
  for (size_t i = 0; i < last->n; i++)
    case_row(o, &last->v[i], NULL);
  fix_buf_puts(o, "</table>\n</body></html>\n");
}

void fix_eval_compare(const struct fix_eval_results *a, const struct fix_eval_results *b, struct fix_buf *o) {
  struct eval_group *ga, *gb;
  int na = eval_groups(a, EVAL_BY_LANGUAGE, &ga), nb = eval_groups(b, EVAL_BY_LANGUAGE, &gb);
  fix_buf_printf(o, "A: %s\nB: %s\n\n%-12s %16s %16s %8s\n", a->tool ? a->tool : "?", b->tool ? b->tool : "?",
                 "language", "A repaired", "B repaired", "change");
  const struct eval_group *ea, *eb;
  for (int i = 0, j = 0; next_pair(ga, na, &i, gb, nb, &j, &ea, &eb);) {
    char sa[32] = "-", sb[32] = "-";
    if (ea)
      snprintf(sa, sizeof sa, "%d/%d %.1f%%", ea->rep, ea->n, pct(ea->rep, ea->n));
    if (eb)
      snprintf(sb, sizeof sb, "%d/%d %.1f%%", eb->rep, eb->n, pct(eb->rep, eb->n));
    fix_buf_printf(o, "%-12s %16s %16s", ea ? ea->key : eb->key, sa, sb);
    if (ea && eb)
      fix_buf_printf(o, " %+7.1f", pct(eb->rep, eb->n) - pct(ea->rep, ea->n));
    fix_buf_puts(o, "\n");
  }
  free(ga);
  free(gb);
  int up = 0, down = 0, only_a = 0, only_b = 0;
  for (int pass = 0; pass < 2; pass++) {
    fix_buf_puts(o, pass ? "\nregressed (repaired in A, not in B):\n" : "\nimproved (repaired in B, not in A):\n");
    for (size_t i = 0; i < b->n; i++) {
      const struct fix_case_result *pa = find(a, b->v[i].id), *pb = &b->v[i];
      if (!pa || pa->repaired == pb->repaired || pb->repaired == pass)
        continue;
      fix_buf_printf(o, "  %s (%s -> %s)\n", pb->id, verdict(pa), verdict(pb));
      *(pass ? &down : &up) += 1;
    }
  }
  for (size_t i = 0; i < b->n; i++)
    only_b += !find(a, b->v[i].id);
  for (size_t i = 0; i < a->n; i++)
    only_a += !find(b, a->v[i].id);
  if (only_a || only_b)
    fix_buf_printf(o, "\n%d case%s only in A, %d only in B (left out of the counts above)\n", only_a,
                   only_a == 1 ? "" : "s", only_b);
  int ra = repaired_count(a), rb = repaired_count(b);
  fix_buf_printf(o, "\ncompare: %d improved, %d regressed; A %d/%zu (%.1f%%), B %d/%zu (%.1f%%)\n", up, down, ra, a->n,
                 pct(ra, (int)a->n), rb, b->n, pct(rb, (int)b->n));
}
