package io.nlstream.netlink.rtnl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nlstream.netlink.rtnl.IfAddr.*;
import static io.nlstream.netlink.rtnl.IfLink.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The iproute2 spellings; LinkDecoderTest and AddrDecoderTest also compare them with what ip printed
 * for the captured fixtures.
 */
class NamesTest
{
    @Test
    void linkFlagsInIproute2Order()
    {
        assertEquals(List.of("LOOPBACK", "UP", "LOWER_UP"),
            LinkFlags.names(IFF_UP | IFF_LOOPBACK | IFF_RUNNING | IFF_LOWER_UP));
        assertEquals(List.of("BROADCAST", "MULTICAST", "UP", "LOWER_UP"),
            LinkFlags.names(0x11043));
        assertEquals(List.of("BROADCAST", "NOARP"), LinkFlags.names(IFF_BROADCAST | IFF_NOARP));
        assertEquals(List.of(), LinkFlags.names(0));
        assertEquals(List.of(), LinkFlags.names(IFF_RUNNING), "RUNNING is never printed");
    }

    @Test
    void linkFlagsNoCarrierWhenUpButNotRunning()
    {
        assertEquals(List.of("NO-CARRIER", "BROADCAST", "MULTICAST", "UP"),
            LinkFlags.names(IFF_UP | IFF_BROADCAST | IFF_MULTICAST));
        assertEquals(List.of("NO-CARRIER", "BROADCAST", "MULTICAST", "UP", "M-DOWN"),
            LinkFlags.names(IFF_UP | IFF_BROADCAST | IFF_MULTICAST, true));
    }

    @Test
    void everyNamedLinkFlagThenLeftoverBitsAsHex()
    {
        assertEquals(List.of(
            "LOOPBACK", "BROADCAST", "POINTOPOINT", "MULTICAST", "NOARP", "ALLMULTI", "PROMISC", "MASTER",
            "SLAVE", "DEBUG", "DYNAMIC", "AUTOMEDIA", "PORTSEL", "NOTRAILERS", "UP", "LOWER_UP", "DORMANT",
            "ECHO", "fff80000"), LinkFlags.names(0xFFFFFFFF));
        assertEquals(List.of("UP", "100000"), LinkFlags.names(IFF_UP | IFF_RUNNING | 0x100000));
    }

    @Test
    void operStates()
    {
        final String[] names = {"UNKNOWN", "NOTPRESENT", "DOWN", "LOWERLAYERDOWN", "TESTING", "DORMANT", "UP"};
        for (int i = 0; i < names.length; i++)
        {
            assertEquals(names[i], OperState.name(i));
        }
        assertEquals("UP", OperState.name(IF_OPER_UP));
        assertEquals("7", OperState.name(7));
        assertEquals("-1", OperState.name(-1));
    }

    @Test
    void scopes()
    {
        assertEquals("global", AddrScope.name(RT_SCOPE_UNIVERSE));
        assertEquals("site", AddrScope.name(RT_SCOPE_SITE));
        assertEquals("link", AddrScope.name(RT_SCOPE_LINK));
        assertEquals("host", AddrScope.name(RT_SCOPE_HOST));
        assertEquals("nowhere", AddrScope.name(RT_SCOPE_NOWHERE));
        assertEquals("100", AddrScope.name(100));
    }

    @Test
    void addressFlagsAsIpJsonKeys()
    {
        assertEquals(List.of(), AddrFlags.names(Rtnetlink.AF_INET, IFA_F_PERMANENT));
        assertEquals(List.of("dynamic"), AddrFlags.names(Rtnetlink.AF_INET, 0));
        assertEquals(List.of("nodad", "dynamic"), AddrFlags.names(Rtnetlink.AF_INET6, IFA_F_NODAD));
        assertEquals(List.of("secondary"), AddrFlags.names(Rtnetlink.AF_INET, IFA_F_SECONDARY | IFA_F_PERMANENT));
        assertEquals(List.of("temporary", "dynamic", "mngtmpaddr"),
            AddrFlags.names(Rtnetlink.AF_INET6, IFA_F_TEMPORARY | IFA_F_MANAGETEMPADDR));
        assertEquals(List.of("secondary"), AddrFlags.names(IFA_F_SECONDARY | IFA_F_PERMANENT));
        assertEquals(List.of("tentative", "noprefixroute", "stable-privacy"),
            AddrFlags.names(Rtnetlink.AF_INET6,
                IFA_F_TENTATIVE | IFA_F_PERMANENT | IFA_F_NOPREFIXROUTE | IFA_F_STABLE_PRIVACY));
        assertEquals(List.of("secondary", "nodad", "optimistic", "dadfailed", "home", "deprecated", "tentative",
            "mngtmpaddr", "noprefixroute", "autojoin", "stable-privacy", "fffff000"), AddrFlags.names(0xFFFFFFFF));
        assertEquals(List.of("1000"), AddrFlags.names(Rtnetlink.AF_INET, IFA_F_PERMANENT | 0x1000));
    }
}
