package io.nlstream.netlink.conntrack;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nlstream.netlink.conntrack.CtProtoInfo.*;
import static io.nlstream.netlink.conntrack.CtStatus.*;
import static io.nlstream.netlink.conntrack.Nfnetlink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The conntrack-tools spellings; CtDecoderTest also compares them with what conntrack printed for the
 * captured dump.
 */
class CtNamesTest
{
    @Test
    void everyStatusBitByNameThenLeftoverBitsAsHex()
    {
        assertEquals(List.of(
            "EXPECTED", "SEEN_REPLY", "ASSURED", "CONFIRMED", "SRC_NAT", "DST_NAT", "SEQ_ADJUST", "SRC_NAT_DONE",
            "DST_NAT_DONE", "DYING", "FIXED_TIMEOUT", "TEMPLATE", "UNTRACKED", "HELPER", "OFFLOAD", "HW_OFFLOAD",
            "0xffff0000"), CtStatus.names(0xFFFFFFFF));
        assertEquals(List.of(), CtStatus.names(0));
        assertEquals(List.of("SEEN_REPLY", "ASSURED", "CONFIRMED", "DYING"),
            CtStatus.names(IPS_SEEN_REPLY | IPS_ASSURED | IPS_CONFIRMED | IPS_DYING));
        assertEquals(IPS_SRC_NAT | IPS_DST_NAT, IPS_NAT_MASK);
        assertEquals(0x180, IPS_NAT_DONE_MASK);
        assertEquals(1 << 15, IPS_HW_OFFLOAD);
    }

    @Test
    void conntrackBracketsUnrepliedAssuredOffload()
    {
        assertEquals(List.of("UNREPLIED"), conntrackFlags(IPS_CONFIRMED));
        assertEquals(List.of(), conntrackFlags(IPS_CONFIRMED | IPS_SEEN_REPLY));
        assertEquals(List.of("ASSURED"), conntrackFlags(IPS_SEEN_REPLY | IPS_ASSURED));
        assertEquals(List.of("UNREPLIED", "ASSURED", "OFFLOAD", "HW_OFFLOAD"),
            conntrackFlags(IPS_ASSURED | IPS_OFFLOAD | IPS_HW_OFFLOAD));
    }

    @Test
    void protocolStates()
    {
        assertEquals("NONE", tcpStateName(TCP_CONNTRACK_NONE));
        assertEquals("SYN_SENT", tcpStateName(TCP_CONNTRACK_SYN_SENT));
        assertEquals("SYN_RECV", tcpStateName(TCP_CONNTRACK_SYN_RECV));
        assertEquals("ESTABLISHED", tcpStateName(TCP_CONNTRACK_ESTABLISHED));
        assertEquals("FIN_WAIT", tcpStateName(TCP_CONNTRACK_FIN_WAIT));
        assertEquals("CLOSE_WAIT", tcpStateName(TCP_CONNTRACK_CLOSE_WAIT));
        assertEquals("LAST_ACK", tcpStateName(TCP_CONNTRACK_LAST_ACK));
        assertEquals("TIME_WAIT", tcpStateName(TCP_CONNTRACK_TIME_WAIT));
        assertEquals("CLOSE", tcpStateName(TCP_CONNTRACK_CLOSE));
        assertEquals("SYN_SENT2", tcpStateName(TCP_CONNTRACK_SYN_SENT2));
        assertEquals("10", tcpStateName(10), "TCP_CONNTRACK_MAX and beyond are not states");
        assertEquals("-1", tcpStateName(-1));
        assertEquals("ESTABLISHED", sctpStateName(SCTP_CONNTRACK_ESTABLISHED));
        assertEquals("SHUTDOWN_ACK_SENT", sctpStateName(SCTP_CONNTRACK_SHUTDOWN_ACK_SENT));
        assertEquals("HEARTBEAT_ACKED", sctpStateName(SCTP_CONNTRACK_HEARTBEAT_ACKED));
        assertEquals("OPEN", dccpStateName(CT_DCCP_OPEN));
        assertEquals("INVALID", dccpStateName(CT_DCCP_INVALID));
    }

    @Test
    void protocolsAndFamilies()
    {
        assertEquals("tcp", IpProto.name(6));
        assertEquals("udp", IpProto.name(17));
        assertEquals("udplite", IpProto.name(136));
        assertEquals("sctp", IpProto.name(132));
        assertEquals("dccp", IpProto.name(33));
        assertEquals("icmp", IpProto.name(1));
        assertEquals("icmpv6", IpProto.name(58));
        assertEquals("gre", IpProto.name(47));
        assertEquals("unknown", IpProto.name(IpProto.IPPROTO_ESP), "conntrack -L prints the number beside it");
        assertEquals("ipv4", familyName(AF_INET));
        assertEquals("ipv6", familyName(AF_INET6));
        assertEquals("unknown", familyName(7));
    }

    @Test
    void messageTypeHalves()
    {
        final int ctDelete = nlmsgType(NFNL_SUBSYS_CTNETLINK, Ctnetlink.IPCTNL_MSG_CT_DELETE);
        assertEquals(0x0102, ctDelete);
        assertEquals(NFNL_SUBSYS_CTNETLINK, subsysId(ctDelete));
        assertEquals(Ctnetlink.IPCTNL_MSG_CT_DELETE, msgType(ctDelete));
        assertEquals(NFNL_SUBSYS_CTNETLINK_EXP, subsysId(0x0200));
        assertEquals(1 << (NFNLGRP_CONNTRACK_DESTROY - 1), NF_NETLINK_CONNTRACK_DESTROY);
    }
}
