using Paygo.Rating.Access;
using static Paygo.Rating.Tests.Access.PecFixture;

namespace Paygo.Rating.Tests.Access;

/// <summary>
/// The PEC rule of DOMAIN.md §5, one case per line of issue 11's "Done when", each asserting the
/// evidence as well as the 0 or 15.
/// </summary>
public sealed class PecDecisionTests
{
    [Fact]
    public void Decide_AoboOwnerAllDay_Earns15NamingTheAssignment()
    {
        var history = new AccessHistory([Aobo("aobo-1", Direct)]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(PecReason.Earned, decision.Reason);
        Assert.Equal(["aobo-1"], CoveringIds(history, decision));
    }

    [Fact]
    public void Decide_AssignmentEndedAt1300_ThatDayIsPartialFrom1300AndLaterDaysHaveNoAccess()
    {
        var history = new AccessHistory([Aobo("aobo-1", Direct, end: At(Day, 13))]);

        var thatDay = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);
        var nextDay = Pec.Decide(history, Direct, null, AppVm, Meter(), Day.AddDays(1));
        var later = Pec.Decide(history, Direct, null, AppVm, Meter(), Day.AddDays(9));

        Assert.Equal(0, thatDay.CreditPercent);
        Assert.Equal(PecReason.PartialDay, thatDay.Reason);
        Assert.Equal(At(Day, 13), thatDay.GapStart);
        Assert.Equal(Midnight(Day.AddDays(1)), thatDay.GapEnd);
        Assert.Equal(["aobo-1"], CoveringIds(history, thatDay));
        Assert.StartsWith("lost: partial day, gap from 13:00 to 24:00", history.IndexFor(Subscription, Direct).Describe(thatDay), StringComparison.Ordinal);
        Assert.Equal((0, PecReason.NoAccess), (nextDay.CreditPercent, nextDay.Reason));
        Assert.Equal((0, PecReason.NoAccess), (later.CreditPercent, later.Reason));
    }

    [Fact]
    public void Decide_AssignmentEndedExactlyAtMidnight_ThatDayEarnsTheNextDoesNot()
    {
        // End is exclusive: [created, Day+1 00:00) covers all of Day and nothing of Day+1.
        var history = new AccessHistory([Aobo("aobo-1", Direct, end: Midnight(Day.AddDays(1)))]);

        var thatDay = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);
        var nextDay = Pec.Decide(history, Direct, null, AppVm, Meter(), Day.AddDays(1));

        Assert.Equal(15, thatDay.CreditPercent);
        Assert.Equal(["aobo-1"], CoveringIds(history, thatDay));
        Assert.Equal(0, nextDay.CreditPercent);
        Assert.Equal(PecReason.NoAccess, nextDay.Reason);
    }

    [Fact]
    public void Decide_AssignmentStartingAtMidnight_EarnsThatDay()
    {
        var history = new AccessHistory([Allow("new", Principal.AdminAgents("fp", Direct), BuiltInRoles.Owner, SubscriptionScope, Midnight(Day))]);

        Assert.Equal(15, Pec.Decide(history, Direct, null, AppVm, Meter(), Day).CreditPercent);
        Assert.Equal(PecReason.NoAccess, Pec.Decide(history, Direct, null, AppVm, Meter(), Day.AddDays(-1)).Reason);
    }

    [Fact]
    public void Decide_PimActivation0900To1700_IsPartialWithTheGapFromMidnight()
    {
        var pim = Allow("pim-1", Principal.User("alice", partnerAdminLink: Direct), BuiltInRoles.Owner, SubscriptionScope, At(Day, 9), At(Day, 17));
        var history = new AccessHistory([pim]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(0, decision.CreditPercent);
        Assert.Equal(PecReason.PartialDay, decision.Reason);
        Assert.Equal(Midnight(Day), decision.GapStart);
        Assert.Equal(At(Day, 9), decision.GapEnd);
        Assert.Equal(0, decision.CoverCount);
    }

    [Fact]
    public void Decide_TwoBackToBackAssignmentsCoveringTheDay_Earns15NamingBoth()
    {
        var morning = Aobo("aobo-1", Direct, end: At(Day, 13));
        var afternoon = Allow("contrib-2", Principal.ServicePrincipal("ops-app", partnerAdminLink: Direct), BuiltInRoles.Contributor, AppGroup, At(Day, 13));
        var history = new AccessHistory([afternoon, morning]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(["aobo-1", "contrib-2"], CoveringIds(history, decision));
        Assert.Equal("earned 15 %: covered by aobo-1, contrib-2", history.IndexFor(Subscription, Direct).Describe(decision));
    }

    [Fact]
    public void Decide_ResourceGroupScope_CoversItsResourcesButNotASiblingGroupsWithALongerName()
    {
        var history = new AccessHistory([Aobo("rg-owner", Direct, scope: AppGroup)]);

        var inGroup = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);
        var sibling = Pec.Decide(history, Direct, null, App2Vm, Meter(), Day);
        var groupItself = Pec.Decide(history, Direct, null, AppGroup, Meter(), Day);

        Assert.Equal(15, inGroup.CreditPercent);
        Assert.Equal(["rg-owner"], CoveringIds(history, inGroup));
        Assert.Equal(15, groupItself.CreditPercent);
        Assert.Equal(0, sibling.CreditPercent);
        Assert.Equal(PecReason.NoAccess, sibling.Reason);
    }

    [Fact]
    public void Decide_ScopeInAnotherCase_StillCovers()
    {
        var upper = $"/SUBSCRIPTIONS/{Subscription.ToUpperInvariant()}/RESOURCEGROUPS/RG-APP";
        var history = new AccessHistory([Aobo("rg-owner", Direct, scope: upper)]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(["rg-owner"], CoveringIds(history, decision));
    }

    [Fact]
    public void Decide_ReaderOnly_IsZeroNamingTheIneligibleAssignment()
    {
        var history = new AccessHistory([Allow("reader-1", Principal.AdminAgents("fp", Direct), BuiltInRoles.Reader, SubscriptionScope, Created)]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(0, decision.CreditPercent);
        Assert.Equal(PecReason.IneligibleRole, decision.Reason);
        Assert.Equal("reader-1", history.Assignments[decision.Assignment].Id);
    }

    [Fact]
    public void Decide_CustomRole_EarnsOnlyWhenMarked()
    {
        var roleId = Guid.Parse("6a1f0e7d-2b3c-4d5e-8f90-1a2b3c4d5e6f");
        var unmarked = RoleCatalog.Create([RoleDefinition.Custom(roleId, "Contoso Operator")]);
        var marked = RoleCatalog.Create([RoleDefinition.Custom(roleId, "Contoso Operator", markedEligible: true)]);
        var assignment = new RoleAssignment("custom-1", Principal.AdminAgents("fp", Direct), roleId, ArmScope.Parse(SubscriptionScope), new AccessPeriod(Created));

        var withUnmarked = new AccessHistory([assignment], roles: unmarked);
        var withMarked = new AccessHistory([assignment], roles: marked);
        var notMarked = Pec.Decide(withUnmarked, Direct, null, AppVm, Meter(), Day);
        var isMarked = Pec.Decide(withMarked, Direct, null, AppVm, Meter(), Day);

        Assert.Equal((0, PecReason.IneligibleRole), (notMarked.CreditPercent, notMarked.Reason));
        Assert.Equal("custom-1", withUnmarked.Assignments[notMarked.Assignment].Id);
        Assert.Equal(15, isMarked.CreditPercent);
        Assert.Equal(["custom-1"], CoveringIds(withMarked, isMarked));
    }

    [Fact]
    public void Decide_UnknownRoleId_EarnsNothing()
    {
        var assignment = new RoleAssignment("mystery", Principal.AdminAgents("fp", Direct), Guid.NewGuid(), ArmScope.Parse(SubscriptionScope), new AccessPeriod(Created));

        Assert.Equal(PecReason.IneligibleRole, Decide([assignment], AppVm, Day).Reason);
    }

    [Fact]
    public void Decide_DenyAssignmentOverlappingTheDay_IsZeroNamingTheDeny()
    {
        var history = new AccessHistory([Aobo("aobo-1", Direct)], [DenyOn("deny-7", AppGroup, At(Day, 22), At(Day, 23))]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);
        var dayAfter = Pec.Decide(history, Direct, null, AppVm, Meter(), Day.AddDays(1));
        var sibling = Pec.Decide(history, Direct, null, App2Vm, Meter(), Day);

        Assert.Equal((0, PecReason.Denied), (decision.CreditPercent, decision.Reason));
        Assert.Equal("deny-7", history.Denies[decision.Assignment].Id);
        Assert.Equal("lost: denied by deny assignment deny-7", history.IndexFor(Subscription, Direct).Describe(decision));
        Assert.Equal(15, dayAfter.CreditPercent);
        Assert.Equal(15, sibling.CreditPercent);
    }

    [Fact]
    public void Decide_ResellerOfRecordsAccessForAnIndirectProvider_Earns15()
    {
        var history = new AccessHistory([Aobo("reseller-aobo", Reseller)]);

        var decision = Pec.Decide(history, Provider, Reseller, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(["reseller-aobo"], CoveringIds(history, decision));
    }

    [Fact]
    public void Decide_ProviderAndResellerEachCoveringHalfTheDay_Earns15NamingBoth()
    {
        var history = new AccessHistory([Aobo("provider-aobo", Provider, end: At(Day, 12)), Allow("reseller-new", Principal.AdminAgents("fp-r", Reseller), BuiltInRoles.Owner, SubscriptionScope, At(Day, 12))]);

        var decision = Pec.Decide(history, Provider, Reseller, AppVm, Meter(), Day);

        Assert.Equal(["provider-aobo", "reseller-new"], CoveringIds(history, decision));
    }

    [Fact]
    public void Decide_UnrelatedPartnersAccess_IsZeroNamingIt()
    {
        var history = new AccessHistory([Aobo("other-aobo", Unrelated)]);

        var decision = Pec.Decide(history, Provider, Reseller, AppVm, Meter(), Day);

        Assert.Equal((0, PecReason.OtherPartnerOnly), (decision.CreditPercent, decision.Reason));
        Assert.Equal("other-aobo", history.Assignments[decision.Assignment].Id);
    }

    [Fact]
    public void Decide_ResellerAccessWithoutBeingItsResellerOfRecord_DoesNotCount()
    {
        // The reseller's AOBO counts only when the sale is through it: billed directly, it is another partner's.
        var decision = Decide([Aobo("reseller-aobo", Reseller)], AppVm, Day, partner: Direct);

        Assert.Equal(PecReason.OtherPartnerOnly, decision.Reason);
    }

    [Fact]
    public void Decide_CustomersOwnAdmin_IsNoAccessNotAnotherPartner()
    {
        var decision = Decide([Allow("cust-owner", Principal.User("bob"), BuiltInRoles.Owner, SubscriptionScope, Created)], AppVm, Day);

        Assert.Equal(PecReason.NoAccess, decision.Reason);
    }

    [Fact]
    public void Decide_PartnerAdminLinkToThePartnerOnAUser_Earns15()
    {
        var history = new AccessHistory([Allow("pal-user", Principal.User("carol@customer.example", partnerAdminLink: Direct), BuiltInRoles.Contributor, AppGroup, Created)]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(["pal-user"], CoveringIds(history, decision));
    }

    [Fact]
    public void Decide_PartnerAdminLinkToAnotherPartner_IsAnotherPartnersAccess()
    {
        var decision = Decide([Allow("pal-user", Principal.User("carol", partnerAdminLink: Unrelated), BuiltInRoles.Owner, AppGroup, Created)], AppVm, Day);

        Assert.Equal(PecReason.OtherPartnerOnly, decision.Reason);
    }

    [Fact]
    public void Decide_HelpdeskAgentsAndLighthouseDelegations_Earn15()
    {
        var helpdesk = Decide([Allow("hd", Principal.HelpdeskAgents("fp-hd", Direct), BuiltInRoles.Contributor, SubscriptionScope, Created)], AppVm, Day);
        var lighthouse = Decide([Allow("lh", Principal.Lighthouse("msp-tenant", Direct), BuiltInRoles.Contributor, SubscriptionScope, Created)], AppVm, Day);

        Assert.Equal(15, helpdesk.CreditPercent);
        Assert.Equal(15, lighthouse.CreditPercent);
    }

    [Theory]
    [InlineData("Microsoft", "Azure,Consumption,ThirdParty", "D2s v3", "Virtual Machines", MeterExclusion.ThirdParty)]
    [InlineData("Contoso Marketplace Ltd.", "Azure,Consumption", "Contoso Firewall", "Contoso Firewall", MeterExclusion.NonMicrosoftPublisher)]
    [InlineData("Microsoft", "Azure,Reservation", "D2s v3", "Reserved VM Instance, Dv3 Series", MeterExclusion.Reservation)]
    [InlineData("Microsoft", "Azure,Consumption", "D2s v3 Spot", "Virtual Machines Dv3 Series", MeterExclusion.Spot)]
    [InlineData("Microsoft", "Azure,SavingsPlan", "Compute", "Azure Savings Plan for Compute", MeterExclusion.SavingsPlan)]
    [InlineData("Microsoft", "Azure,Consumption", "Compute", "Azure Savings Plan for Compute", MeterExclusion.SavingsPlan)]
    public void Decide_ExcludedMeter_IsZeroNamingTheRule(string publisher, string tags, string skuTitle, string productTitle, MeterExclusion rule)
    {
        var meter = Meter(publisher, tags, skuTitle, productTitle);

        var decision = Decide([Aobo("aobo-1", Direct)], AppVm, Day, meter: meter);

        Assert.Equal(0, decision.CreditPercent);
        Assert.Equal(PecReason.ExcludedMeter, decision.Reason);
        Assert.Equal(rule, decision.ExcludedBy);
        Assert.Equal(rule, MeterRules.Classify(meter));
    }

    [Theory]
    [InlineData("Spotlight Search")]
    [InlineData("Hotspot Analytics")]
    public void Classify_SpotInsideAnotherWord_IsNotASpotMeter(string skuTitle)
    {
        Assert.Equal(MeterExclusion.None, MeterRules.Classify(Meter(skuTitle: skuTitle)));
    }

    [Fact]
    public void Decide_ResourceOfAnotherSubscription_HasNoAccess()
    {
        var history = new AccessHistory([Aobo("aobo-1", Direct)]);

        var decision = history.IndexFor(Subscription, Direct).Decide("/subscriptions/ffffffff-0000-0000-0000-000000000000/resourceGroups/rg-app", MeterExclusion.None, Day);

        Assert.Equal(PecReason.NoAccess, decision.Reason);
    }

    [Fact]
    public void Decide_SubscriptionIdPrefixOfAnother_DoesNotCover()
    {
        // "/subscriptions/abc" must not cover "/subscriptions/abcd/...": a path segment, not a string prefix.
        var history = new AccessHistory([Aobo("aobo-1", Direct, scope: "/subscriptions/abc")]);

        Assert.Equal(PecReason.NoAccess, history.IndexFor("abc", Direct).Decide("/subscriptions/abcd/resourceGroups/x", MeterExclusion.None, Day).Reason);
        Assert.Equal(PecReason.Earned, history.IndexFor("abc", Direct).Decide("/subscriptions/abc/resourceGroups/x/", MeterExclusion.None, Day).Reason);
    }

    [Fact]
    public void Decide_ManyShortPimActivationsChainingTheDay_EarnsAndCountsThemAll()
    {
        // Twelve two-hour activations back to back: more than the decision keeps inline.
        var activations = Enumerable.Range(0, 12)
            .Select(h => Allow($"pim-{h:D2}", Principal.User("dana", Direct), BuiltInRoles.Owner, SubscriptionScope, At(Day, 2 * h), h == 11 ? Midnight(Day.AddDays(1)) : At(Day, (2 * h) + 2)))
            .ToArray();
        var history = new AccessHistory(activations);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(15, decision.CreditPercent);
        Assert.Equal(12, decision.CoverCount);
        Assert.False(decision.HasAllCovering);
        Assert.Equal(Enumerable.Range(0, 8).Select(h => $"pim-{h:D2}"), CoveringIds(history, decision));
        Assert.EndsWith("and 4 more", history.IndexFor(Subscription, Direct).Describe(decision), StringComparison.Ordinal);
    }

    [Fact]
    public void Decide_OverlappingAssignmentsOnSeveralScopes_NamesTheFewestThatCover()
    {
        var history = new AccessHistory(
        [
            Aobo("a-sub", Direct, end: At(Day, 10)),
            Allow("b-rg", Principal.User("erin", Direct), BuiltInRoles.Contributor, AppGroup, At(Day, 8), At(Day, 20)),
            Allow("c-rg", Principal.User("erin", Direct), BuiltInRoles.Contributor, AppGroup, At(Day, 9), At(Day, 11)),
            Allow("d-vm", Principal.User("erin", Direct), Role("Virtual Machine Contributor"), AppVm, At(Day, 19)),
        ]);

        var decision = Pec.Decide(history, Direct, null, AppVm, Meter(), Day);

        Assert.Equal(["a-sub", "b-rg", "d-vm"], CoveringIds(history, decision));
    }
}
