using Paygo.Core.RatedUsage;
using Paygo.Rating.Pricing;

namespace Paygo.Core.Budgets;

/// <summary>
/// A customer's spend in a month so far, in the billing partner's currency, as the budget rule
/// compares it with the budget. The production source reads the stored rating
/// (<see cref="RatedCustomerSpend"/>); tests give their own.
/// </summary>
public interface ICustomerSpendSource
{
    /// <summary>False when nothing can tell the spend (no rating is registered): the rule then checks nothing.</summary>
    bool IsAvailable { get; }

    Task<decimal> MonthToDateAsync(Guid partnerId, Guid customerId, BillingMonth month, CancellationToken cancellationToken);
}

/// <summary>
/// Spend from the stored rating (<see cref="IMonthRating"/>): the sum of the customer's lines'
/// <see cref="RatedUsageLine.BillingPreTaxTotal"/>, unrounded, before taxes, as Partner Center's
/// estimate is (reference §7.5). Takes the rating as an optional service so the feature builds
/// and starts before a rating is registered; it is available as soon as one is.
/// </summary>
public sealed class RatedCustomerSpend(IEnumerable<IMonthRating> ratings) : ICustomerSpendSource
{
    private readonly IMonthRating? rating = ratings.LastOrDefault();

    public bool IsAvailable => rating is not null;

    public async Task<decimal> MonthToDateAsync(Guid partnerId, Guid customerId, BillingMonth month, CancellationToken cancellationToken)
    {
        if (rating is null)
        {
            throw new InvalidOperationException("No IMonthRating is registered: the spend of a month cannot be read.");
        }

        var result = await rating.RateAsync(partnerId, month, customerId, cancellationToken);
        var total = 0m;
        foreach (var line in result.Lines)
        {
            // The filter narrows what is returned; the check keeps another customer's line out whatever an implementation does.
            if (line.CustomerId == customerId)
            {
                total += line.BillingPreTaxTotal;
            }
        }

        return total;
    }
}
