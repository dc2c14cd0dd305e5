using Paygo.Rating.Access;

namespace Paygo.Rating.Tests.Access;

/// <summary>The built-in role table of reference §3.3 and ARM scope matching.</summary>
public sealed class RoleAndScopeTests
{
    [Fact]
    public void BuiltInRoles_MatchTheReferenceTable()
    {
        // Reference §3.3 lists 98 eligible roles (the Event Hubs and Service Bus lines name three each) and 24 that are not.
        Assert.Equal(98, BuiltInRoles.All.Count(r => r.PecEligible));
        Assert.Equal(24, BuiltInRoles.All.Count(r => !r.PecEligible));
        Assert.Equal(BuiltInRoles.All.Count, BuiltInRoles.All.Select(r => r.Id).Distinct().Count());
        Assert.All(BuiltInRoles.All, r => Assert.False(r.IsCustom));
        Assert.Equal(Guid.Parse("8e3af657-a8ff-443c-a75c-2fe8c4bcb635"), BuiltInRoles.Owner.Id);
        Assert.Equal(Guid.Parse("acdd72a7-3385-48ef-bd42-f606fba81ae7"), BuiltInRoles.Reader.Id);
    }

    [Theory]
    [InlineData("ACRPull", true)]
    [InlineData("AKS Cluster User Role", true)]
    [InlineData("Event Grid EventSubscription Contributor", true)]
    [InlineData("Resource Policy Contributor (Preview)", true)]
    [InlineData("owner", true)]
    [InlineData("User Access Administrator", true)]
    [InlineData("Storage Queue Data Reader", false)]
    [InlineData("Billing Reader", false)]
    public void RoleCatalog_FindsThePecPagesSpellings(string name, bool eligible)
    {
        Assert.True(RoleCatalog.BuiltIn.TryFind(name, out var role));
        Assert.Equal(eligible, role.PecEligible);
    }

    [Fact]
    public void RoleCatalog_CustomRoleReusingABuiltInName_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => RoleCatalog.Create([RoleDefinition.Custom(Guid.NewGuid(), "Owner", markedEligible: true)]));
    }

    [Theory]
    [InlineData("/subscriptions/s1", "/subscriptions/s1/resourceGroups/rg", true)]
    [InlineData("/subscriptions/s1/resourceGroups/rg-app", "/subscriptions/s1/resourceGroups/rg-app2/providers/x/y/z", false)]
    [InlineData("/subscriptions/s1/resourceGroups/rg-app/", "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG-APP/providers/x/y/z", true)]
    [InlineData("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/db", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/db/databases/d1", true)]
    [InlineData("/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/db", "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Sql/servers/db2", false)]
    [InlineData("/subscriptions/s1/resourceGroups/rg", "/subscriptions/s1", false)]
    public void ArmScope_CoversByWholeSegmentsIgnoringCase(string scope, string resource, bool covers)
    {
        Assert.Equal(covers, ArmScope.Parse(scope).Covers(resource));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/providers/Microsoft.Management/managementGroups/mg1")]
    [InlineData("/subscriptions/")]
    [InlineData("/subscriptions//resourceGroups/rg")]
    [InlineData(" /subscriptions/s1")]
    [InlineData("")]
    public void ArmScope_OutsideASubscription_IsRefused(string text)
    {
        Assert.False(ArmScope.TryParse(text, out _));
    }

    [Fact]
    public void ArmScope_KnowsItsSubscription()
    {
        var scope = ArmScope.Parse("/subscriptions/AbC/resourceGroups/rg");

        Assert.Equal("AbC", scope.SubscriptionId);
        Assert.False(scope.IsSubscription);
        Assert.True(ArmScope.Parse("/subscriptions/AbC/").IsSubscription);
        Assert.Equal(ArmScope.Parse("/subscriptions/abc/RESOURCEGROUPS/RG"), scope);
    }
}
