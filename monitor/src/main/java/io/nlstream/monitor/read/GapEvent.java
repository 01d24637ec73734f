package io.nlstream.monitor.read;

import io.nlstream.monitor.journal.GapRecord;
import io.nlstream.netlink.Netlink;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * A gap: the kernel dropped notifications on a capture socket (ENOBUFS); its tables are dumped again at once.
 */
public final class GapEvent extends EventBody
{
    private static final int ENOBUFS = 105;
    private static final Name PROTOCOL = Name.of("protocol");
    private static final Name OVERRUNS = Name.of("overruns");
    private static final Name ERRNO = Name.of("errno");
    private static final Name ENOBUFS_NAME = Name.of("ENOBUFS");
    private static final Name ENOSPC_NAME = Name.of("ENOSPC");
    private static final int ENOSPC = 28;
    private static final Name SINCE = Name.of("since");

    private ByteBuffer buf;
    private int offset;
    private int length;
    private int protocol;

    void wrap(final int protocol, final ByteBuffer buf, final int offset, final int length)
    {
        this.protocol = protocol;
        this.buf = buf;
        this.offset = offset;
        this.length = length;
    }

    @Override
    Kind kind()
    {
        return Kind.GAP;
    }

    /** The capture socket's netlink protocol. */
    public int protocol()
    {
        return protocol;
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        return false;
    }

    @Override
    int family()
    {
        return 0;
    }

    @Override
    void writeFields(final FieldWriter w, final EventView event)
    {
        w.field(PROTOCOL, protocolName(protocol));
        if (length >= GapRecord.LENGTH)
        {
            w.field(OVERRUNS, buf.getLong(offset + GapRecord.OVERRUNS_OFFSET));
            final int errno = buf.getInt(offset + GapRecord.ERRNO_OFFSET);
            if (errno == ENOBUFS)
            {
                w.field(ERRNO, ENOBUFS_NAME);
            }
            else if (errno == ENOSPC)
            {
                // the journal's filesystem was full: "overruns" counts the entries not written, since this instant
                w.field(ERRNO, ENOSPC_NAME);
                if (length >= GapRecord.LENGTH_WITH_SINCE)
                {
                    w.timestamp(SINCE, buf.getLong(offset + GapRecord.SINCE_OFFSET));
                }
            }
            else
            {
                w.field(ERRNO, Integer.toString(errno));
            }
        }
    }

    public static String protocolName(final int protocol)
    {
        switch (protocol)
        {
            case Netlink.NETLINK_ROUTE:
                return "rtnetlink";
            case Netlink.NETLINK_SOCK_DIAG:
                return "sock_diag";
            case Netlink.NETLINK_NETFILTER:
                return "netfilter";
            default:
                return "netlink-" + protocol;
        }
    }
}
