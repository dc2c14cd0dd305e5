using Microsoft.EntityFrameworkCore;
using Paygo.Core.Common;

namespace Paygo.Core.Identity;

/// <summary>
/// Partner Center's security-requirements switch (DOMAIN.md §2): while any active user of a
/// partner has no second factor enrolled, the partner cannot transact. Every transacting
/// endpoint (orders, checkout, subscription changes) asks this first.
/// </summary>
public sealed class SecurityRequirements(PaygoDbContext db)
{
    public async Task<ApiError?> CheckCanTransactAsync(Guid partnerId, CancellationToken cancellationToken)
    {
        var missing = await db.Users.AsNoTracking()
            .Where(u => u.PartnerId == partnerId && !u.IsDisabled && u.SecondFactorEnrolledAt == null)
            .CountAsync(cancellationToken);
        return missing == 0
            ? null
            : new ApiError(ErrorKind.Forbidden, ErrorCodes.SecurityRequirementsNotMet,
                $"Security requirements not met: {missing} active user(s) of this partner have no second factor. Every user must enrol one before the partner can transact; see GET /v1/mfacompliance.");
    }
}
