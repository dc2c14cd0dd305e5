using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Instance;
using Paygo.Core.Partners;

namespace Paygo.Core.Demo;

/// <summary>
/// The deterministic demo instance seeded on the first start of a demo server (docs/adr/0006):
/// the same ids, names and values on every machine, so a newcomer, a browser test and a bug
/// report all talk about the same data. Each feature adds its part here.
/// </summary>
public static class DemoInstance
{
    public static readonly Guid OperatorId = new("0c7a4d2e-5b1f-4e0a-9a53-000000000001");
    public static readonly Guid DirectBillPartnerId = new("4f1b2a10-8c3d-4e5f-9a01-000000000101");
    public static readonly Guid IndirectProviderPartnerId = new("4f1b2a10-8c3d-4e5f-9a01-000000000102");
    public static readonly Guid IndirectResellerPartnerId = new("4f1b2a10-8c3d-4e5f-9a01-000000000103");

    /// <summary>The demo's own clock start: the instant every demo row says it was created.</summary>
    public static readonly DateTimeOffset CreatedAt = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Each demo organisation's verified domain, the one its demo users' addresses are under (null = the operator).</summary>
    public static IReadOnlyList<(string Domain, Guid? PartnerId)> Domains { get; } =
    [
        ("northwind-ops.example", null),
        ("fabrikam.example", DirectBillPartnerId),
        ("contoso-distribution.example", IndirectProviderPartnerId),
        ("adatum.example", IndirectResellerPartnerId),
    ];

    /// <summary>Seeds the demo rows once; a database that already has an operator is left alone.</summary>
    public static async Task<bool> SeedAsync(PaygoDbContext db, AuditAnchorKey auditKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (await db.Operators.AnyAsync(cancellationToken))
        {
            return false;
        }

        db.Operators.Add(new OperatorOrganization { Id = OperatorId, Name = "Northwind Cloud Operations", CreatedAt = CreatedAt });
        db.Partners.AddRange(
            new Partner
            {
                Id = DirectBillPartnerId,
                Name = "Fabrikam Direct Ltd",
                Type = PartnerType.DirectBill,
                MpnId = "4390934",
                Country = "GB",
                BillingCurrency = "GBP",
                CreatedAt = CreatedAt,
            },
            new Partner
            {
                Id = IndirectProviderPartnerId,
                Name = "Contoso Distribution GmbH",
                Type = PartnerType.IndirectProvider,
                MpnId = "6034453",
                Country = "DE",
                BillingCurrency = "EUR",
                CreatedAt = CreatedAt,
            },
            new Partner
            {
                Id = IndirectResellerPartnerId,
                Name = "Adatum Reseller Inc",
                Type = PartnerType.IndirectReseller,
                MpnId = "6048879",
                Country = "US",
                BillingCurrency = "USD",
                CreatedAt = CreatedAt,
            });
        db.VerifiedDomains.AddRange(Domains.Select(d => new VerifiedDomain { Domain = d.Domain, PartnerId = d.PartnerId, CreatedAt = CreatedAt }));
        db.Users.AddRange(DemoUsers.All.Select(u => DemoUsers.ToEntity(u, CreatedAt)));
        DemoCommerce.Seed(db, CreatedAt);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await new AuditTrail(db, TimeProvider.System, new FixedActor(Actor.System), auditKey)
            .AppendAsync(new AuditEntry("seed_demo_instance", "instance", AuditEntry.Succeeded), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
