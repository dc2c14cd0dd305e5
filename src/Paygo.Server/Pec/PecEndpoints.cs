using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Pec;
using Paygo.Core.Users;
using Paygo.Server.Api;
using Paygo.Server.Identity;

namespace Paygo.Server.Pec;

/// <summary>PEC evidence of an Azure subscription, per resource and UTC day (issue 11 point 4, docs/adr/0028). See Pec.http.</summary>
public static class PecEndpoints
{
    public static IEndpointRouteBuilder MapPec(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/customers/{customerId}/subscriptions/{subscriptionId}/azureEntitlements/{entitlementId}/pec", GetEvidence)
            .RequireAuthorization(AuthSetup.Policy(ApiOperation.OrdersRead))
            .WithTags("Pec").WithName("GetPecEvidence")
            .WithSummary("Partner Earned Credit evidence for a month (month=yyyy-MM, the current month by default): per resource and UTC day earned, partial or lost, the reason and the assignment ids.")
            .Produces<PecEvidenceResource>();
        return app;
    }

    internal static async Task<IResult> GetEvidence(
        string customerId, string subscriptionId, string entitlementId, [FromQuery(Name = "month")] string? month,
        ClaimsPrincipal principal, PecEvidence evidence, CancellationToken cancellationToken)
    {
        if (CustomerVisibility.ParseId(customerId, out var customer) is { } idError)
        {
            return ApiResults.Error(idError);
        }

        if (!Guid.TryParse(subscriptionId, out var subscription))
        {
            return ApiResults.Error(ApiError.InvalidField("subscriptionId", $"The subscriptionId '{ErrorText.Quote(subscriptionId)}' is not a GUID."));
        }

        if (!Guid.TryParse(entitlementId, out var entitlement))
        {
            return ApiResults.Error(new ApiError(ErrorKind.Invalid, 800011, $"'{ErrorText.Quote(entitlementId)}' is not a valid Azure subscription id.", [new FieldError("entitlementId", "Not a GUID.")]));
        }

        var (resource, error) = await evidence.ForEntitlementAsync(Caller.From(principal), customer, subscription, entitlement, month, null, cancellationToken);
        return resource is not null ? TypedResults.Ok(resource) : ApiResults.Error(error!);
    }
}
