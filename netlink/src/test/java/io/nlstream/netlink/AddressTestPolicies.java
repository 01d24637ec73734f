package io.nlstream.netlink;

/**
 * A policy with an address rule, for {@link GeneratedWalkTest}: its walk (AddressTestWalk) is given the family.
 */
@Walked
final class AddressTestPolicies
{
    static final AttributePolicy TOP = AttributePolicy.level("ADDRESSES")
        .address("not the family's address length", 1)
        .u8(2)
        .build();

    private AddressTestPolicies()
    {
    }
}
