package io.nlstream.netlink.rtnl;

import io.nlstream.netlink.AttributePolicy;
import io.nlstream.netlink.Walked;

import static io.nlstream.netlink.rtnl.Neighbour.*;

/**
 * The NDA_* attributes after struct ndmsg: for AF_INET and AF_INET6 NDA_DST is exactly the address length of
 * ndm_family; for other families it may be of any length (a bridge entry's NDA_DST, the remote of
 * a vxlan port, may be either). {@link NeighDecoder} reads them through the walks generated from these (NeighWalk).
 */
@Walked
final class NeighPolicies
{
    static final String ERR_ADDRESS_LENGTH = "NDA_DST length does not match ndm_family";
    static final String ERR_CACHEINFO_LENGTH = "NDA_CACHEINFO payload is not struct nda_cacheinfo (16 bytes)";

    static final AttributePolicy TOP = AttributePolicy.level("NDA_*")
        .address(ERR_ADDRESS_LENGTH, NDA_DST)
        // any length: 6 for Ethernet, 20 for InfiniBand, 0 on some tunnels
        .any(NDA_LLADDR)
        .exact(NDA_CACHEINFO, NDA_CACHEINFO_LEN, ERR_CACHEINFO_LENGTH)
        .u32(NDA_PROBES, NDA_VNI, NDA_IFINDEX, NDA_MASTER, NDA_LINK_NETNSID, NDA_SRC_VNI, NDA_NH_ID, NDA_FLAGS_EXT)
        .u16(NDA_VLAN, NDA_NDM_STATE_MASK)
        .be16(NDA_PORT)
        .u8(NDA_PROTOCOL, NDA_NDM_FLAGS_MASK)
        // only its size is checked (empty or room for a header): its contents are not read
        .checked(null, NDA_FDB_EXT_ATTRS)
        .build();

    private NeighPolicies()
    {
    }
}
