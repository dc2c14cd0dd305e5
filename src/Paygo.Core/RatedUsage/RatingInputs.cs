using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Pricing;
using Paygo.Rating.Pricing;

namespace Paygo.Core.RatedUsage;

/// <summary>
/// A fingerprint of everything a partner's month is rated from (docs/adr/0033): two ratings with
/// the same fingerprint give the same lines. It is read from the data itself rather than from a
/// counter each writer would have to bump, so no feature's write path has to remember rating: each
/// input is append-only or changes in a way a count or a value shows.
/// <list type="bullet">
/// <item>usage records are never changed or deleted: their count in the month;</item>
/// <item>role assignments are never deleted and an end is set at most once: the count and the count of ended ones;
/// the role catalog and the custom roles' eligibility marks only grow: their counts;</item>
/// <item>a price list import gives the month's list a new id: the month's list ids;</item>
/// <item>an FX import rewrites the month's rates: the billing currency's rate itself;</item>
/// <item>transitions are written once per Azure subscription: their count; customers' countries (the markets).</item>
/// </list>
/// </summary>
public static class RatingInputs
{
    public static async Task<string> FingerprintAsync(PaygoDbContext db, Guid partnerId, BillingMonth month, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var first = month.FirstDay;
        var last = first.AddMonths(1).AddDays(-1);
        var number = Months.ToNumber(month);
        var partner = await db.Partners.AsNoTracking().Where(p => p.Id == partnerId).Select(p => new { p.MpnId, p.BillingCurrency }).FirstOrDefaultAsync(cancellationToken);
        var usage = await db.UsageRecords.AsNoTracking().CountAsync(r => r.PartnerId == partnerId && r.UsageDate >= first && r.UsageDate <= last, cancellationToken);
        var assignments = await db.RoleAssignments.AsNoTracking().CountAsync(r => r.PartnerId == partnerId, cancellationToken);
        var ended = await db.RoleAssignments.AsNoTracking().CountAsync(r => r.PartnerId == partnerId && r.ValidTo != null, cancellationToken);
        var roles = await db.AccessRoleDefinitions.AsNoTracking().CountAsync(cancellationToken);
        var marks = await db.AccessRoleEligibilityMarks.AsNoTracking().CountAsync(cancellationToken);
        var transitions = await db.AzureSubscriptionTransitions.AsNoTracking().CountAsync(t => t.PartnerId == partnerId, cancellationToken);
        var lists = await db.PriceLists.AsNoTracking().Where(l => l.Month == number).Select(l => l.Id).ToListAsync(cancellationToken);
        var currency = partner?.BillingCurrency ?? string.Empty;
        var fx = await db.FxRates.AsNoTracking().Where(r => r.Month == number && r.Currency == currency).Select(r => r.UsdPerUnit).ToListAsync(cancellationToken);
        var countries = await db.Customers.AsNoTracking().Where(c => c.PartnerId == partnerId).Select(c => new { c.Id, c.Country }).ToListAsync(cancellationToken);

        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"{partner?.MpnId}|{currency}|{usage}|{assignments}|{ended}|{roles}|{marks}|{transitions}|");
        foreach (var id in lists.Order())
        {
            text.Append(id.ToString("N")).Append(',');
        }

        text.Append('|');
        foreach (var rate in fx)
        {
            text.Append(rate.ToString(CultureInfo.InvariantCulture)).Append(',');
        }

        text.Append('|');
        foreach (var customer in countries.OrderBy(c => c.Id))
        {
            text.Append(customer.Id.ToString("N")).Append(customer.Country).Append(',');
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
