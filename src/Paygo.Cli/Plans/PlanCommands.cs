using System.CommandLine;
using Paygo.Cli.Customers;
using Paygo.Cli.Hosting;
using Paygo.Core.Agreements;
using Paygo.Core.AzurePlans;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Orders;

namespace Paygo.Cli.Plans;

/// <summary><c>paygo plans purchase</c>: buys a customer's Azure plan with a cart and its checkout (DOMAIN.md §3, reference §8.6).</summary>
internal static class PlanCommands
{
    /// <summary>Appended to the purchase's request id for the cart's, so one id covers both calls of a retried purchase.</summary>
    public const string CartRequestIdSuffix = "-cart";

    public static Command Create(CliEnvironment environment, Option<Uri> server)
    {
        var plans = new Command("plans", "Azure plans of customers.");
        plans.Subcommands.Add(Purchase(environment, server));
        return plans;
    }

    private static Command Purchase(CliEnvironment environment, Option<Uri> server)
    {
        var customerId = CustomerCommands.IdArgument();
        var reseller = new Option<string?>("--reseller") { Description = "Indirect provider only: the reseller of record (tenant id or PartnerID); the customer's own by default." };
        var requestId = RequestIdOption.Create(reserved: CartRequestIdSuffix.Length);
        var command = new Command("purchase", "Buys the Azure plan for a customer (one per customer and reseller) and prints it and its first Azure subscription.")
        {
            customerId, reseller, requestId,
        };
        command.SetAction((parsed, cancellationToken) => CliRun.GuardAsync(environment, async () =>
        {
            using var api = ApiClient.For(environment, parsed.GetValue(server)!);
            var id = parsed.GetValue(customerId)!;
            var path = CustomerCommands.PathOf(id);
            var given = parsed.GetValue(requestId);
            var checkoutId = RequestIdOption.Resolve(given);
            var participants = parsed.GetValue(reseller) is { } r ? new[] { new KeyValueDto(Carts.TransactionReseller, r) } : null;
            var cartRequest = new CartRequest([new CartLineItemDto(0, CatalogSeed.AzurePlanCatalogItemId, Quantity: 1, BillingCycle: "one_time", Participants: participants)]);

            // A retry with the same --request-id gets the same cart back and then the first checkout's answer, so it never buys twice.
            var cart = await RequestIdOption.RetryableAsync(given, checkoutId,
                () => api.PostAsync<CartResource>(path + "/carts", cartRequest, checkoutId + CartRequestIdSuffix, cancellationToken));
            CartCheckoutResult result;
            try
            {
                result = await RequestIdOption.RetryableAsync(given, checkoutId,
                    () => api.PostAsync<CartCheckoutResult>($"{path}/carts/{cart.Id}/checkout", null, checkoutId, cancellationToken));
            }
            catch (CliFailure failure) when (failure.ApiCode == AgreementRecords.McaRequiredForPurchase)
            {
                throw new CliFailure(
                    $"Customer {id} has no Microsoft Customer Agreement on record (error {AgreementRecords.McaRequiredForPurchase}): run 'paygo agreements confirm {id} --first-name .. --last-name .. --email ..' first, then purchase again.");
            }

            if (result.OrderErrors.Count > 0)
            {
                throw new CliFailure(string.Join(" ", result.OrderErrors.Select(e => $"Error {e.Code}: {e.Description}")));
            }

            var line = result.Orders.SelectMany(o => o.LineItems).FirstOrDefault()
                ?? throw new CliFailure($"The checkout of cart {cart.Id} created no order line.");
            var azure = await api.GetAsync<CollectionPage<AzureEntitlementResource>>(
                $"{path}/subscriptions/{Uri.EscapeDataString(line.SubscriptionId)}/azureEntitlements", null, cancellationToken);
            environment.Output.WriteLine($"Bought the Azure plan for customer {id} (order {result.Orders[0].Id}).");
            environment.Output.WriteLine($"Azure plan subscription: {line.SubscriptionId}");
            environment.Output.WriteLine($"Azure subscription: {(azure.Items.Count > 0 ? azure.Items[0].Id.ToString() : "(none yet)")}");
            return 0;
        }));
        return command;
    }
}
