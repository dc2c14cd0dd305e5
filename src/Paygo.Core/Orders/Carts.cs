using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Paygo.Core.Audit;
using Paygo.Core.Catalog;
using Paygo.Core.Common;
using Paygo.Core.Customers;
using Paygo.Core.Identity;
using Paygo.Core.Partners;
using Paygo.Core.Users;

namespace Paygo.Core.Orders;

/// <summary>
/// Creating, replacing and reading carts (reference §1.11). Each line item is checked against the
/// catalog as the customer's market sees it, so a cart that exists can be checked out unless
/// something changed in between (checkout checks again).
/// </summary>
public sealed class Carts(PaygoDbContext db, IdempotentCreates creates, CatalogQueries catalog, AuditTrail audit, TimeProvider clock)
{
    public const int MaxLineItems = 50;
    public const string TransactionReseller = "transaction_reseller";

    public Task<Result<Created<CartResource>>> CreateAsync(Caller caller, Guid customerId, CartRequest request, string? requestId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersWrite);
        ArgumentNullException.ThrowIfNull(request);
        return creates.CreateAsync<CartResource>(caller.Scope, requestId, $"POST /v1/customers/{customerId}/carts", request, async ct =>
        {
            var (customer, partner, accessError) = await TransactingCustomerAsync(db, caller, customerId, ct);
            if (accessError is not null)
            {
                return (null, accessError);
            }

            var (lineItems, error) = await ValidateAsync(request, customer!, partner!, ct);
            if (error is not null)
            {
                return (null, error);
            }

            var now = clock.GetUtcNow();
            var cart = new Cart
            {
                Id = Guid.NewGuid(),
                PartnerId = partner!.Id,
                CustomerId = customerId,
                CreatedAt = now,
                LastModifiedAt = now,
                ExpiresAt = now + CartStatus.Lifetime,
                LastModifiedUser = caller.Email,
                LineItemsJson = JsonSerializer.Serialize(lineItems, PaygoJson.Options),
            };
            db.Carts.Add(cart);
            var resource = ToResource(cart);
            return (new PreparedCreate<CartResource>(resource, resource.Links.Self.Uri,
                new AuditEntry("create_cart", "cart", AuditEntry.Succeeded, PartnerId: partner.Id, CustomerId: customerId)), null);
        }, _ => new ApiError(ErrorKind.Conflict, ErrorCodes.AlreadyExists, "The cart was created at the same moment by another request."), cancellationToken);
    }

    /// <summary>Replaces the line items of an active cart (Partner Center's update-a-cart).</summary>
    public async Task<(CartResource? Cart, ApiError? Error)> ReplaceAsync(Caller caller, Guid customerId, Guid cartId, CartRequest request, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersWrite);
        ArgumentNullException.ThrowIfNull(request);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (customer, partner, accessError) = await TransactingCustomerAsync(db, caller, customerId, cancellationToken);
        if (accessError is not null)
        {
            return (null, accessError);
        }

        var cart = await db.Carts.FirstOrDefaultAsync(c => c.Id == cartId && c.CustomerId == customerId, cancellationToken);
        if (cart is null)
        {
            return (null, CartNotFound(cartId));
        }

        if (StateError(cart, clock.GetUtcNow()) is { } stateError)
        {
            return (null, stateError);
        }

        var (lineItems, error) = await ValidateAsync(request, customer!, partner!, cancellationToken);
        if (error is not null)
        {
            return (null, error);
        }

        cart.LineItemsJson = JsonSerializer.Serialize(lineItems, PaygoJson.Options);
        cart.LastModifiedAt = clock.GetUtcNow();
        cart.LastModifiedUser = caller.Email;
        var resource = ToResource(cart);
        await audit.AppendAsync(new AuditEntry("update_cart", "cart", AuditEntry.Succeeded, PartnerId: partner!.Id, CustomerId: customerId,
            ResourceNewValue: JsonSerializer.Serialize(resource, PaygoJson.Options)), cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (resource, null);
    }

    public async Task<CartResource?> FindAsync(Caller caller, Guid customerId, Guid cartId, CancellationToken cancellationToken)
    {
        PermissionMatrix.Demand(caller, ApiOperation.OrdersRead);
        if (!await CustomerVisibility.IsVisibleAsync(db, caller, customerId, cancellationToken))
        {
            return null;
        }

        var cart = await db.Carts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == cartId && c.CustomerId == customerId, cancellationToken);
        return cart is null ? null : ToResource(cart);
    }

    public static ApiError CartNotFound(Guid cartId) => new(ErrorKind.NotFound, ErrorCodes.CartNotFound, $"No cart with id {cartId} for this customer.");

    /// <summary>Why an existing cart can no longer change or be checked out, if it cannot.</summary>
    public static ApiError? StateError(Cart cart, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cart);
        if (cart.Status == CartStatus.Ordered)
        {
            return new ApiError(ErrorKind.Conflict, ErrorCodes.CartAlreadyOrdered, $"The cart {cart.Id} was already checked out (order {cart.OrderId}); create a new cart to buy again.");
        }

        return cart.ExpiresAt <= now
            ? new ApiError(ErrorKind.Invalid, ErrorCodes.CartExpired, $"The cart {cart.Id} expired at {cart.ExpiresAt:yyyy-MM-ddTHH:mm:ssZ}; create a new cart.")
            : null;
    }

    /// <summary>
    /// The customer the caller may buy for, and the caller's partner: visible (else 404), and
    /// billed by the caller — an indirect reseller sees its customers but its provider buys for them.
    /// </summary>
    public static async Task<(Customer? Customer, Partner? Partner, ApiError? Error)> TransactingCustomerAsync(
        PaygoDbContext db, Caller caller, Guid customerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(caller);
        var customer = await CustomerVisibility.FindAsync(db, caller, customerId, cancellationToken);
        if (customer is null)
        {
            return (null, null, CustomerVisibility.NotFound(customerId));
        }

        var partner = await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == caller.PartnerId, cancellationToken);
        if (partner is null || customer.PartnerId != partner.Id)
        {
            return (null, null, new ApiError(ErrorKind.Forbidden, ErrorCodes.PartnerTypeNotAllowed,
                "Only the partner that bills this customer buys for it; an indirect reseller's orders are placed by its indirect provider."));
        }

        return (customer, partner, null);
    }

    public static IReadOnlyList<CartLineItemResource> LineItems(Cart cart) =>
        JsonSerializer.Deserialize<List<CartLineItemResource>>(cart.LineItemsJson, PaygoJson.Options) ?? [];

    public static CartResource ToResource(Cart cart)
    {
        ArgumentNullException.ThrowIfNull(cart);
        return new CartResource(cart.Id, cart.CreatedAt, cart.LastModifiedAt, cart.ExpiresAt, cart.LastModifiedUser, LineItems(cart), cart.Status,
            cart.OrderId?.ToString(), new ResourceLinks(Link.Get($"/v1/customers/{cart.CustomerId}/carts/{cart.Id}")), new ResourceAttributes("Cart"));
    }

    private async Task<(IReadOnlyList<CartLineItemResource>? LineItems, ApiError? Error)> ValidateAsync(
        CartRequest request, Customer customer, Partner partner, CancellationToken cancellationToken)
    {
        if (request.LineItems is not { Count: > 0 })
        {
            return (null, ApiError.InvalidField("lineItems", "The field 'lineItems' is required: at least one line item."));
        }

        if (request.LineItems.Count > MaxLineItems)
        {
            return (null, ApiError.InvalidField("lineItems", $"A cart holds at most {MaxLineItems} line items; this one has {request.LineItems.Count}."));
        }

        var errors = new List<FieldError>();
        var items = new List<CartLineItemResource>();
        var ids = new HashSet<int>();
        ApiError? catalogError = null;
        for (var i = 0; i < request.LineItems.Count; i++)
        {
            var line = request.LineItems[i];
            var path = $"lineItems[{i}]";
            if (line is null)
            {
                errors.Add(new(path, "A line item cannot be null."));
                continue;
            }

            var id = line.Id ?? i;
            if (id < 0 || !ids.Add(id))
            {
                errors.Add(new(path + ".id", $"Line item ids must be distinct and not negative; {id} is not."));
            }

            var (item, itemError) = await catalog.ResolveAsync(line.CatalogItemId, customer.Country, path + ".catalogItemId", cancellationToken);
            if (item is null)
            {
                catalogError ??= itemError;
                errors.AddRange(itemError!.Data);
                continue;
            }

            var sku = item.Sku;
            var quantity = line.Quantity ?? 1;
            if (quantity < sku.MinimumQuantity || quantity > sku.MaximumQuantity)
            {
                errors.Add(new(path + ".quantity", sku.MinimumQuantity == sku.MaximumQuantity
                    ? $"The quantity of {sku.Title} must be {sku.MinimumQuantity}; {quantity} is not."
                    : $"The quantity of {sku.Title} must be {sku.MinimumQuantity} to {sku.MaximumQuantity}; {quantity} is not."));
            }

            var cycle = line.BillingCycle?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(cycle))
            {
                errors.Add(new(path + ".billingCycle", $"The field 'billingCycle' is required: {string.Join(" or ", sku.BillingCycleList)} for {sku.Title}."));
            }
            else if (!sku.BillingCycleList.Contains(cycle, StringComparer.Ordinal))
            {
                errors.Add(new(path + ".billingCycle", $"{sku.Title} is billed {string.Join(" or ", sku.BillingCycleList)}; '{ErrorText.Quote(line.BillingCycle)}' is not offered."));
            }

            var term = line.TermDuration?.Trim().ToUpperInvariant();
            if (sku.TermDurationList.Count == 0 && !string.IsNullOrEmpty(term))
            {
                errors.Add(new(path + ".termDuration", $"{sku.Title} has no term; leave 'termDuration' out."));
            }
            else if (sku.TermDurationList.Count > 0 && (string.IsNullOrEmpty(term) || !sku.TermDurationList.Contains(term, StringComparer.Ordinal)))
            {
                errors.Add(new(path + ".termDuration", $"The field 'termDuration' must be one of {string.Join(", ", sku.TermDurationList)} for {sku.Title}."));
            }

            var (participants, participantError) = await ParticipantsAsync(line.Participants, customer, partner, path + ".participants", cancellationToken);
            if (participantError is not null)
            {
                errors.Add(participantError);
            }

            var friendlyName = line.FriendlyName?.Trim();
            if (friendlyName is { Length: > 100 })
            {
                errors.Add(new(path + ".friendlyName", "The field 'friendlyName' must be at most 100 characters."));
            }
            else if (friendlyName is { Length: > 0 } && sku.Kind == SkuKind.AzurePlan)
            {
                // Reference §2.1: the plan's friendly name is set after purchase, never at it.
                errors.Add(new(path + ".friendlyName", "The Azure plan's friendly name cannot be set at purchase; rename it afterwards."));
            }

            items.Add(new CartLineItemResource(id, item.Availability.CatalogItemId, string.IsNullOrEmpty(friendlyName) ? null : friendlyName, quantity,
                partner.BillingCurrency, cycle ?? string.Empty, string.IsNullOrEmpty(term) ? null : term, participants,
                line.ProvisioningContext ?? new Dictionary<string, string>()));
        }

        if (errors.Count > 0)
        {
            // A single catalog problem keeps its own Partner Center code (800004, 800070).
            return (null, catalogError is not null && errors.Count == catalogError.Data.Count ? catalogError : ApiError.InvalidFields(errors));
        }

        return (items, null);
    }

    /// <summary>
    /// The reseller of record of a line item: a direct-bill partner names none (CartErrorCode
    /// 10004); an indirect provider may name one, and otherwise the customer's reseller is used.
    /// </summary>
    private async Task<(IReadOnlyList<KeyValueDto> Participants, FieldError? Error)> ParticipantsAsync(
        IReadOnlyList<KeyValueDto>? given, Customer customer, Partner partner, string field, CancellationToken cancellationToken)
    {
        var named = given?.FirstOrDefault(p => string.Equals(p?.Key, TransactionReseller, StringComparison.OrdinalIgnoreCase))?.Value?.Trim();
        if (given is { Count: > 0 } && given.Any(p => !string.Equals(p?.Key, TransactionReseller, StringComparison.OrdinalIgnoreCase)))
        {
            return ([], new FieldError(field, $"The only participant Paygo knows is '{TransactionReseller}'."));
        }

        if (partner.Type == PartnerType.DirectBill)
        {
            return given is { Count: > 0 }
                ? ([], new FieldError(field, "ParticipantsIsNotSupportedForPartner (10004): a direct-bill partner sells without a reseller; leave 'participants' out."))
                : ([], null);
        }

        Guid? reseller = customer.ResellerPartnerId;
        if (!string.IsNullOrEmpty(named))
        {
            var found = Guid.TryParse(named, out var tenantId)
                ? await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.Id == tenantId, cancellationToken)
                : await db.Partners.AsNoTracking().FirstOrDefaultAsync(p => p.MpnId == named, cancellationToken);
            if (found is not { Type: PartnerType.IndirectReseller })
            {
                return ([], new FieldError(field, $"'{ErrorText.Quote(named)}' is not an indirect reseller known to Paygo."));
            }

            reseller = found.Id;
        }

        return reseller is null
            ? ([], new FieldError(field, $"An indirect provider's order names its reseller of record: add {{\"key\":\"{TransactionReseller}\",\"value\":\"<reseller tenant id>\"}}."))
            : ([new KeyValueDto(TransactionReseller, reseller.Value.ToString())], null);
    }
}
