package io.nlstream.monitor.read;

import io.nlstream.sinks.JsonFieldWriter;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code state --format table}: the objects of each kind as aligned columns under a header, as {@code ip -br}
 * and {@code ss} print them, a blank line between kinds; every value one word ("-" when absent). The columns' widths are those of the first
 * {@value #MEASURED} rows of a kind (a longer value later only pushes its line out), so a million flows stream
 * without being held.
 */
public final class StateTable implements ReadPipeline.Consumer
{
    static final int MEASURED = 1000;

    private record Column(String header, Function<Map<String, String>, String> value)
    {
    }

    private static final Map<Kind, List<Column>> COLUMNS = Map.of(
        Kind.LINK, List.of(col("NETNS", "netns"), col("IFINDEX", "ifindex"), new Column("IFNAME", StateTable::ifname),
            col("STATE", "operstate"), col("MTU", "mtu"), col("ADDRESS", "address"), new Column("FLAGS", f -> "<" + list(f.get("flags")) + ">"),
            col("KIND", "link_kind"), col("MASTER", "master")),
        Kind.ADDR, List.of(col("NETNS", "netns"), col("DEV", "dev"), col("FAMILY", "family"),
            new Column("ADDRESS", f -> bare(f.get("address")) + "/" + bare(f.get("prefixlen"))), col("SCOPE", "scope"),
            new Column("VALID", f -> lifetime(f.get("valid_lft"))), new Column("FLAGS", f -> list(f.get("addr_flags")))),
        Kind.ROUTE, List.of(col("NETNS", "netns"), col("TABLE", "table"), col("DST", "dst"), col("GATEWAY", "gateway"), col("DEV", "dev"),
            col("PROTO", "protocol"), col("SCOPE", "scope"), col("TYPE", "type"), col("METRIC", "metric"), col("PREFSRC", "prefsrc")),
        Kind.NEIGH, List.of(col("NETNS", "netns"), col("DEV", "dev"), col("ADDRESS", "address"), col("LLADDR", "lladdr"), col("STATE", "state")),
        Kind.CONN, List.of(col("NETNS", "netns"), col("PROTO", "proto"), col("STATE", "tcp_state"),
            new Column("ORIGINAL", f -> tuple(f.get("orig"))), new Column("REPLY", f -> tuple(f.get("reply"))),
            new Column("STATUS", f -> list(f.get("status"))), col("ZONE", "zone"), col("MARK", "mark"), col("TIMEOUT", "timeout"),
            new Column("PROCESS", StateTable::process)),
        Kind.SOCK, List.of(col("NETNS", "netns"), col("PROTO", "proto"), col("STATE", "state"), col("RECV-Q", "rqueue"),
            col("SEND-Q", "wqueue"), new Column("LOCAL", f -> JsonFields.endpoint(f.get("src"), f.get("sport"))),
            new Column("PEER", f -> JsonFields.endpoint(f.get("dst"), f.get("dport"))), new Column("PROCESS", StateTable::process),
            col("INODE", "inode")));

    private final OutputStream out;
    private final JsonFieldWriter json = new JsonFieldWriter();
    private final List<String[]> pending = new ArrayList<>();
    private Kind kind;
    private int[] widths;
    private boolean first = true;

    public StateTable(final OutputStream out)
    {
        this.out = out;
    }

    private static Column col(final String header, final String field)
    {
        return new Column(header, f -> f.containsKey(field) ? bare(f.get(field)) : "-");
    }

    @Override
    public void accept(final EventView event)
    {
        final List<Column> columns = COLUMNS.get(event.kind());
        if (columns == null)
        {
            return;
        }
        if (event.kind() != kind)
        {
            finishKind();
            kind = event.kind();
        }
        json.reset();
        event.write(json);
        final Map<String, String> fields = JsonFields.of(json.array(), json.length());
        final String[] row = new String[columns.size()];
        for (int i = 0; i < row.length; i++)
        {
            final String v = columns.get(i).value().apply(fields);
            // one word per column, so that awk and cut split lines as they are laid out (a comm may hold spaces)
            row[i] = v == null || v.isEmpty() ? "-" : v.replace(' ', '_');
        }
        if (widths == null)
        {
            pending.add(row);
            if (pending.size() >= MEASURED)
            {
                flushPending();
            }
            return;
        }
        write(row);
    }

    /** Writes what is held; call once every object was given. */
    public void finish()
    {
        finishKind();
        try
        {
            out.flush();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the table to output", e);
        }
    }

    private void finishKind()
    {
        if (kind != null && widths == null)
        {
            flushPending();
        }
        kind = null;
        widths = null;
    }

    private void flushPending()
    {
        final List<Column> columns = COLUMNS.get(kind);
        widths = new int[columns.size()];
        for (int i = 0; i < widths.length; i++)
        {
            widths[i] = columns.get(i).header().length();
        }
        for (final String[] row : pending)
        {
            for (int i = 0; i < row.length; i++)
            {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        final String[] header = new String[columns.size()];
        for (int i = 0; i < header.length; i++)
        {
            header[i] = columns.get(i).header();
        }
        if (!first)
        {
            print("\n");
        }
        first = false;
        write(header);
        for (final String[] row : pending)
        {
            write(row);
        }
        pending.clear();
    }

    private void write(final String[] row)
    {
        final StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++)
        {
            line.append(row[i]);
            if (i < row.length - 1)
            {
                line.append(" ".repeat(Math.max(1, widths[i] - row[i].length() + 2)));
            }
        }
        print(line.append('\n').toString());
    }

    private void print(final String s)
    {
        try
        {
            out.write(s.getBytes(StandardCharsets.UTF_8));
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write the table to output", e);
        }
    }

    private static String bare(final String value)
    {
        return value == null ? "-" : JsonFields.bare(value);
    }

    /** A JSON list of strings as a,b,c. */
    private static String list(final String value)
    {
        if (value == null || value.length() < 2)
        {
            return "";
        }
        return value.substring(1, value.length() - 1).replace("\"", "");
    }

    private static String lifetime(final String value)
    {
        return "4294967295".equals(value) ? "forever" : value == null ? "-" : value + "s";
    }

    private static String ifname(final Map<String, String> f)
    {
        final String name = bare(f.get("ifname"));
        // iproute2's NAME@PEER, the peer (or parent) by index: @ifN
        return f.containsKey("link") ? name + "@if" + f.get("link") : name;
    }

    private static String process(final Map<String, String> f)
    {
        return f.containsKey("comm") ? bare(f.get("comm")) + "," + f.get("pid") : "-";
    }

    private static String tuple(final String value)
    {
        if (value == null)
        {
            return "-";
        }
        final Map<String, String> t = JsonFields.of(value);
        final StringBuilder s =
            new StringBuilder(JsonFields.endpoint(t.get("src"), t.get("sport"))).append('>').append(JsonFields.endpoint(t.get("dst"), t.get("dport")));
        if (t.containsKey("type"))
        {
            s.append(",type=").append(t.get("type")).append(",code=").append(t.get("code"));
            if (t.containsKey("icmp_id"))
            {
                s.append(",id=").append(t.get("icmp_id"));
            }
        }
        return s.toString();
    }
}
