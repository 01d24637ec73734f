package io.nlstream.monitor.read;

import io.nlstream.netlink.diag.InetDiagDecoder;
import io.nlstream.netlink.diag.TcpStates;
import io.nlstream.netlink.rtnl.Rtnetlink;
import io.nlstream.sinks.FieldWriter;
import io.nlstream.sinks.Name;

import java.nio.ByteBuffer;

/**
 * A socket from a sock_diag dump ({@code new}) or destroy notification ({@code destroy}). Identity: the
 * socket cookie. The protocol is not in every message: the reader tells it from the dump request or the
 * destroy group ({@link #protocol(int)}).
 */
public final class SockEvent extends EventBody
{
    static final int TCP_LISTEN = 10;

    private static final Name FAMILY = Name.of("family");
    private static final Name PROTO = Name.of("proto");
    private static final Name STATE = Name.of("state");
    private static final Name SRC = Name.of("src");
    private static final Name SPORT = Name.of("sport");
    private static final Name DST = Name.of("dst");
    private static final Name DPORT = Name.of("dport");
    private static final Name INODE = Name.of("inode");
    private static final Name UID = Name.of("uid");
    private static final Name COOKIE = Name.of("cookie");
    private static final Name IFINDEX = Name.of("ifindex");
    private static final Name RQUEUE = Name.of("rqueue");
    private static final Name WQUEUE = Name.of("wqueue");
    private static final Name SHUTDOWN = Name.of("shutdown");
    private static final Name RTT_US = Name.of("rtt_us");
    private static final Name RTTVAR_US = Name.of("rttvar_us");
    private static final Name RETRANSMITS = Name.of("retransmits");
    private static final Name TOTAL_RETRANS = Name.of("total_retrans");
    private static final Name BYTES_ACKED = Name.of("bytes_acked");
    private static final Name BYTES_RECEIVED = Name.of("bytes_received");
    private static final Name CONG = Name.of("cong");
    private static final Name COMMUNITY_ID = Name.of("community_id");
    private static final Names STATES = new Names(16, TcpStates::name);

    final InetDiagDecoder decoder = new InetDiagDecoder();
    private final FlowId flowId = new FlowId();
    private ByteBuffer buf;
    private int protocol;

    boolean wrap(final ByteBuffer buf, final int offset, final int length)
    {
        this.buf = buf;
        return decoder.wrap(buf, offset, length);
    }

    /** The IP protocol as the reader knows it (-1: unknown). */
    void protocol(final int protocol)
    {
        this.protocol = protocol;
    }

    @Override
    Kind kind()
    {
        return Kind.SOCK;
    }

    public InetDiagDecoder decoder()
    {
        return decoder;
    }

    public ByteBuffer buffer()
    {
        return buf;
    }

    @Override
    int proto()
    {
        return protocol;
    }

    @Override
    int family()
    {
        return decoder.family();
    }

    @Override
    boolean identity(final IdentityHash h)
    {
        h.add(decoder.cookie());
        return true;
    }

    /** A listener or an unconnected socket: found by its local address alone. */
    boolean unconnected()
    {
        return decoder.state() == TCP_LISTEN || decoder.dport() == 0;
    }

    /** Feeds the source address into {@code h}, an IPv4-mapped IPv6 one as the IPv4 address conntrack shows. */
    void src(final IdentityHash h)
    {
        address(h, decoder.srcOffset());
    }

    void dst(final IdentityHash h)
    {
        address(h, decoder.dstOffset());
    }

    private void address(final IdentityHash h, final int offset)
    {
        if (decoder.family() == Rtnetlink.AF_INET6 && isV4Mapped(buf, offset))
        {
            h.add(buf, offset + 12, 4);
        }
        else
        {
            h.add(buf, offset, decoder.addressLength());
        }
    }

    static boolean isV4Mapped(final ByteBuffer buf, final int offset)
    {
        for (int i = 0; i < 10; i++)
        {
            if (buf.get(offset + i) != 0)
            {
                return false;
            }
        }
        return buf.get(offset + 10) == (byte)0xFF && buf.get(offset + 11) == (byte)0xFF;
    }

    @Override
    void writeFields(final FieldWriter w, final EventView event)
    {
        final InetDiagDecoder d = decoder;
        final int length = d.addressLength();
        w.field(FAMILY, Families.name(d.family()));
        if (protocol > 0)
        {
            w.field(PROTO, ConnEvent.PROTOS.of(protocol));
        }
        w.field(STATE, STATES.of(d.state()));
        w.address(SRC, buf, d.srcOffset(), length);
        w.field(SPORT, d.sport());
        w.address(DST, buf, d.dstOffset(), length);
        w.field(DPORT, d.dport());
        w.field(INODE, d.inode());
        w.field(UID, d.uid());
        w.field(COOKIE, d.cookie());
        if (d.ifindex() != 0)
        {
            w.field(IFINDEX, d.ifindex());
        }
        w.field(RQUEUE, d.rqueue());
        w.field(WQUEUE, d.wqueue());
        ifKnown(w, SHUTDOWN, d.shutdown());
        if (d.hasTcpInfo())
        {
            ifKnown(w, RTT_US, d.tcpiRtt());
            ifKnown(w, RTTVAR_US, d.tcpiRttvar());
            ifKnown(w, RETRANSMITS, d.tcpiRetransmits());
            ifKnown(w, TOTAL_RETRANS, d.tcpiTotalRetrans());
            ifKnown(w, BYTES_ACKED, d.tcpiBytesAcked());
            ifKnown(w, BYTES_RECEIVED, d.tcpiBytesReceived());
        }
        LinkEvent.stringIfPresent(w, CONG, d.congestion());
        communityId(w);
    }

    private void communityId(final FieldWriter w)
    {
        final int n = flowId();
        if (n > 0)
        {
            w.ascii(COMMUNITY_ID, flowId.bytes(), 0, n);
        }
    }

    /** The Community ID of a connected socket's flow into {@link #flowId}; its length, 0 when none. */
    private int flowId()
    {
        if (protocol <= 0 || decoder.dport() == 0)
        {
            return 0;
        }
        // a dual-stack socket's IPv4 peer (::ffff:a.b.c.d) hashes as the IPv4 flow it is
        int s = decoder.srcOffset();
        int d = decoder.dstOffset();
        int length = decoder.addressLength();
        if (length == 16 && isV4Mapped(buf, s) && isV4Mapped(buf, d))
        {
            s += 12;
            d += 12;
            length = 4;
        }
        return flowId.compute(buf, s, d, length, protocol, decoder.sport(), decoder.dport());
    }

    private static void ifKnown(final FieldWriter w, final Name name, final long value)
    {
        if (value >= 0)
        {
            w.field(name, value);
        }
    }

    @Override
    void kafkaKey(final long netns, final Ascii key)
    {
        final int n = flowId();
        if (n > 0)
        {
            key.append(flowId.bytes(), 0, n);
            return;
        }
        key.append(netns).append(':').append(decoder.cookie());
    }
}
