package io.nlstream.monitor.cli;

import io.nlstream.monitor.read.EventView;
import io.nlstream.monitor.read.Kind;
import io.nlstream.monitor.read.ReadPipeline;
import io.nlstream.netlink.conntrack.CtTuple;
import io.nlstream.sinks.Timestamps;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code timeline} draws, gathered from the events of a window: events per kind per bucket, the gaps and
 * resync dumps, each interface's up and down spans (from its state at the window's start), new connections per
 * bucket and the addresses that began most of them. Bounded: buckets are fixed, interfaces are few, addresses
 * are counted in a {@value #ADDRESS_COUNTERS}-counter heavy-hitters summary (exact while there are fewer).
 * Rendered by {@link #html()} as one self-contained XHTML page with inline SVG.
 */
final class Timeline implements ReadPipeline.Consumer
{
    static final int MAX_BUCKETS = 600;
    static final int ADDRESS_COUNTERS = 1024;
    private static final Kind[] KINDS = {Kind.LINK, Kind.ADDR, Kind.ROUTE, Kind.NEIGH, Kind.CONN, Kind.SOCK, Kind.GAP};
    private static final String[] COLOURS = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1"};

    final long since;
    final long until;
    final long bucketNanos;
    final int buckets;
    final long[][] counts = new long[Kind.values().length][];
    final long[] newConns;
    final List<Long> gaps = new ArrayList<>();
    final List<Long> resyncs = new ArrayList<>();
    /** netns/ifname -> transitions (ts, up), the first at the window's start. */
    final Map<String, List<long[]>> links = new LinkedHashMap<>();
    /** Space-Saving: address -> {count, error}. */
    final Map<String, long[]> initiators = new HashMap<>();
    private long lastResyncSeq = Long.MIN_VALUE;

    Timeline(final long since, final long until)
    {
        this.since = since;
        this.until = Math.max(until, since + 1);
        final long span = this.until - since;
        this.bucketNanos = Math.max(1_000_000_000L, (span + MAX_BUCKETS - 1) / MAX_BUCKETS);
        this.buckets = (int)Math.max(1, (span + bucketNanos - 1) / bucketNanos);
        for (final Kind k : Kind.values())
        {
            counts[k.ordinal()] = new long[buckets];
        }
        newConns = new long[buckets];
    }

    /** A link alive at the window's start, up or not then. */
    void linkAtStart(final EventView link)
    {
        transitions(link).add(new long[] {since, link.link().isUp() ? 1 : 0});
    }

    private List<long[]> transitions(final EventView link)
    {
        final String name = link.link().ifname() == null ? "if" + link.link().ifindex() : link.link().ifname();
        return links.computeIfAbsent(link.netns() + "/" + name, k -> new ArrayList<>());
    }

    private int bucket(final long ts)
    {
        return (int)Math.min(buckets - 1, Math.max(0, (ts - since) / bucketNanos));
    }

    @Override
    public void accept(final EventView event)
    {
        final int b = bucket(event.tsNanos());
        counts[event.kind().ordinal()][b]++;
        if (event.kind() == Kind.GAP)
        {
            gaps.add(event.tsNanos());
            return;
        }
        if (event.origin() != null && "resync".equals(event.origin().text()) && event.seq() != lastResyncSeq && !event.synthesized())
        {
            lastResyncSeq = event.seq();
            if (resyncs.isEmpty() || event.tsNanos() - resyncs.get(resyncs.size() - 1) > bucketNanos)
            {
                resyncs.add(event.tsNanos());
            }
        }
        if (event.kind() == Kind.LINK)
        {
            final List<long[]> t = transitions(event);
            final boolean up = "new".equals(String.valueOf(event.op())) && event.link().isUp();
            if (t.isEmpty() || t.get(t.size() - 1)[1] != (up ? 1 : 0))
            {
                t.add(new long[] {event.tsNanos(), up ? 1 : 0});
            }
        }
        else if (event.kind() == Kind.CONN && "new".equals(String.valueOf(event.op())))
        {
            newConns[b]++;
            final CtTuple orig = event.conn().decoder().orig();
            if (orig.present() && orig.hasSrc())
            {
                count(orig.src());
            }
        }
    }

    private void count(final String address)
    {
        final long[] known = initiators.get(address);
        if (known != null)
        {
            known[0]++;
            return;
        }
        if (initiators.size() < ADDRESS_COUNTERS)
        {
            initiators.put(address, new long[] {1, 0});
            return;
        }
        // Space-Saving: the smallest counter gives its place to the newcomer
        String least = null;
        long min = Long.MAX_VALUE;
        for (final Map.Entry<String, long[]> e : initiators.entrySet())
        {
            if (e.getValue()[0] < min)
            {
                min = e.getValue()[0];
                least = e.getKey();
            }
        }
        initiators.remove(least);
        initiators.put(address, new long[] {min + 1, min});
    }

    /** The page. */
    String html()
    {
        final int width = 1200;
        final int left = 60;
        final double bar = (double)(width - left - 20) / buckets;
        final StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\"><head><meta charset=\"utf-8\"/>")
            .append("<title>nlstream timeline ").append(Timestamps.rfc3339(since)).append(" to ").append(Timestamps.rfc3339(until))
            .append("</title><style>body{font-family:sans-serif;font-size:13px;margin:16px}h2{font-size:15px;margin:18px 0 4px}")
            .append("table{border-collapse:collapse}td,th{padding:2px 8px;text-align:left}.n{text-align:right}</style></head><body>\n");
        h.append("<h1 style=\"font-size:17px\">Timeline ").append(Timestamps.rfc3339(since)).append(" to ").append(Timestamps.rfc3339(until))
            .append("</h1>\n<p>").append(buckets).append(" buckets of ").append(bucketNanos / 1_000_000).append(" ms; ")
            .append(gaps.size()).append(" gaps (red), ").append(resyncs.size()).append(" resyncs (orange).</p>\n");

        // events per kind, stacked
        long max = 1;
        for (int b = 0; b < buckets; b++)
        {
            long sum = 0;
            for (final Kind k : KINDS)
            {
                sum += counts[k.ordinal()][b];
            }
            max = Math.max(max, sum);
        }
        final int height = 200;
        h.append("<h2>Events per kind</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width).append("\" height=\"")
            .append(height + 30).append("\" class=\"events\" data-max=\"").append(max).append("\">\n");
        axis(h, left, width, height, max);
        for (int b = 0; b < buckets; b++)
        {
            double y = height;
            for (int k = 0; k < KINDS.length; k++)
            {
                final long n = counts[KINDS[k].ordinal()][b];
                if (n == 0)
                {
                    continue;
                }
                final double hgt = (double)n * height / max;
                y -= hgt;
                h.append("<rect class=\"count\" data-kind=\"").append(KINDS[k].text()).append("\" data-bucket=\"").append(b)
                    .append("\" data-count=\"").append(n).append("\" x=\"").append(fmt(left + b * bar)).append("\" y=\"").append(fmt(y))
                    .append("\" width=\"").append(fmt(Math.max(bar - 0.5, 0.5))).append("\" height=\"").append(fmt(Math.max(hgt, 0.5)))
                    .append("\" fill=\"").append(COLOURS[k]).append("\"><title>").append(KINDS[k].text()).append(' ').append(n)
                    .append(" at ").append(Timestamps.rfc3339(since + b * bucketNanos)).append("</title></rect>\n");
            }
        }
        marks(h, left, bar, height);
        h.append("</svg>\n<p>");
        for (int k = 0; k < KINDS.length; k++)
        {
            long total = 0;
            for (final long n : counts[KINDS[k].ordinal()])
            {
                total += n;
            }
            h.append("<span style=\"color:").append(COLOURS[k]).append("\">&#9632;</span> ").append(KINDS[k].text())
                .append(" <span class=\"total\" data-kind=\"").append(KINDS[k].text()).append("\">").append(total).append("</span> &#160; ");
        }
        h.append("</p>\n");

        // new connections
        long maxNew = 1;
        for (final long n : newConns)
        {
            maxNew = Math.max(maxNew, n);
        }
        final int hNew = 120;
        h.append("<h2>New connections per bucket</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width)
            .append("\" height=\"").append(hNew + 30).append("\" class=\"conns\">\n");
        axis(h, left, width, hNew, maxNew);
        for (int b = 0; b < buckets; b++)
        {
            if (newConns[b] > 0)
            {
                final double hgt = (double)newConns[b] * hNew / maxNew;
                h.append("<rect class=\"new\" data-bucket=\"").append(b).append("\" data-count=\"").append(newConns[b]).append("\" x=\"")
                    .append(fmt(left + b * bar)).append("\" y=\"").append(fmt(hNew - hgt)).append("\" width=\"")
                    .append(fmt(Math.max(bar - 0.5, 0.5))).append("\" height=\"").append(fmt(Math.max(hgt, 0.5)))
                    .append("\" fill=\"#59a14f\"/>\n");
            }
        }
        marks(h, left, bar, hNew);
        h.append("</svg>\n");
        final List<Map.Entry<String, long[]>> top = new ArrayList<>(initiators.entrySet());
        top.sort((a, b) -> Long.compare(b.getValue()[0], a.getValue()[0]));
        h.append(
            "<h2>Addresses that began the most connections</h2>\n<table class=\"initiators\"><tr><th>address</th><th class=\"n\">new connections</th></tr>\n");
        for (final Map.Entry<String, long[]> e : top.subList(0, Math.min(10, top.size())))
        {
            h.append("<tr data-address=\"").append(e.getKey()).append("\" data-count=\"").append(e.getValue()[0])
                .append("\" data-error=\"").append(e.getValue()[1]).append("\"><td>").append(e.getKey()).append("</td><td class=\"n\">")
                .append(e.getValue()[1] == 0 ? "" : "at most ").append(e.getValue()[0]).append("</td></tr>\n");
        }
        h.append("</table>\n");

        // interfaces
        final int row = 18;
        h.append("<h2>Interfaces: up (green) and down (grey)</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width + 200)
            .append("\" height=\"").append(links.size() * row + 10).append("\" class=\"links\">\n");
        int i = 0;
        final double scale = (double)(width - left - 20) / (until - since);
        for (final Map.Entry<String, List<long[]>> l : links.entrySet())
        {
            final List<long[]> t = l.getValue();
            for (int s = 0; s < t.size(); s++)
            {
                final long from = Math.max(since, t.get(s)[0]);
                final long to = s + 1 < t.size() ? t.get(s + 1)[0] : until;
                final boolean up = t.get(s)[1] == 1;
                h.append("<rect class=\"span ").append(up ? "up" : "down").append("\" data-dev=\"").append(l.getKey()).append("\" data-from=\"")
                    .append(from).append("\" data-to=\"").append(to).append("\" x=\"").append(fmt(left + (from - since) * scale)).append("\" y=\"")
                    .append(i * row + 2).append("\" width=\"").append(fmt(Math.max((to - from) * scale, 1))).append("\" height=\"").append(row - 4)
                    .append("\" fill=\"").append(up ? "#59a14f" : "#bab0ac").append("\"/>\n");
            }
            h.append("<text x=\"").append(width - 10).append("\" y=\"").append(i * row + row - 5).append("\">").append(l.getKey()).append("</text>\n");
            i++;
        }
        h.append("</svg>\n</body></html>\n");
        return h.toString();
    }

    private void axis(final StringBuilder h, final int left, final int width, final int height, final long max)
    {
        h.append("<line x1=\"").append(left).append("\" y1=\"").append(height).append("\" x2=\"").append(width - 20).append("\" y2=\"")
            .append(height).append("\" stroke=\"#333\"/>\n<text x=\"").append(left - 5).append("\" y=\"12\" text-anchor=\"end\">").append(max)
            .append("</text>\n<text x=\"").append(left).append("\" y=\"").append(height + 20).append("\">").append(Timestamps.rfc3339(since))
            .append("</text>\n<text x=\"").append(width - 20).append("\" y=\"").append(height + 20).append("\" text-anchor=\"end\">")
            .append(Timestamps.rfc3339(until)).append("</text>\n");
    }

    private void marks(final StringBuilder h, final int left, final double bar, final int height)
    {
        for (final long g : gaps)
        {
            final double x = left + (double)(g - since) / bucketNanos * bar;
            h.append("<line class=\"gap\" data-ts=\"").append(g).append("\" x1=\"").append(fmt(x)).append("\" y1=\"0\" x2=\"").append(fmt(x))
                .append("\" y2=\"").append(height).append("\" stroke=\"red\"/>\n");
        }
        for (final long r : resyncs)
        {
            final double x = left + (double)(r - since) / bucketNanos * bar;
            h.append("<line class=\"resync\" data-ts=\"").append(r).append("\" x1=\"").append(fmt(x)).append("\" y1=\"0\" x2=\"").append(fmt(x))
                .append("\" y2=\"").append(height).append("\" stroke=\"orange\" stroke-dasharray=\"3,2\"/>\n");
        }
    }

    private static String fmt(final double v)
    {
        return String.format(java.util.Locale.ROOT, "%.1f", v);
    }
}
