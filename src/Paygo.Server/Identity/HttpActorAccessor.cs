using Paygo.Core.Audit;
using Paygo.Core.Identity;
using Paygo.Server.Api;

namespace Paygo.Server.Identity;

/// <summary>The actor of an HTTP request: the token's or cookie's user, or its app credential, and the correlation id.</summary>
internal sealed class HttpActorAccessor(IHttpContextAccessor accessor) : IActorAccessor
{
    public Actor Current
    {
        get
        {
            var context = accessor.HttpContext;
            if (context is null)
            {
                return Actor.System;
            }

            var user = context.User;
            var correlation = context.Request.Headers[ApiConventions.CorrelationIdHeader].ToString();
            var kind = user.FindFirst(PaygoClaims.Kind)?.Value;
            return new Actor(
                kind == PaygoClaims.UserKind ? user.FindFirst(PaygoClaims.Email)?.Value : null,
                kind == PaygoClaims.AppKind ? user.FindFirst(PaygoClaims.Subject)?.Value : null,
                correlation.Length is > 0 and <= 100 ? correlation : null);
        }
    }
}
