using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Warden.Core;

namespace Warden.Guard.AI;

public static class WardenGuardChatClientBuilderExtensions
{
    /// <summary>
    /// Adds a Warden guard that scores with the app's registered <see cref="IScorer"/>
    /// (e.g. <c>services.AddSingleton(Scorer.LoadDefault())</c>).
    /// </summary>
    public static ChatClientBuilder UseWardenGuard(this ChatClientBuilder builder, GuardPolicy? policy = null, WardenGuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use((inner, services) =>
        {
            var scorer = services.GetService<IScorer>() ?? throw new InvalidOperationException(
                "UseWardenGuard(policy) needs an IScorer in the service provider; register one (services.AddSingleton(Scorer.LoadDefault())) or pass a scorer");
            return new WardenGuardChatClient(inner, new Guard(scorer), policy ?? GuardPolicy.Default, options);
        });
    }

    /// <summary>Adds a Warden guard that scores with <paramref name="scorer"/> (e.g. <c>Scorer.LoadDefault()</c>).</summary>
    public static ChatClientBuilder UseWardenGuard(this ChatClientBuilder builder, IScorer scorer, GuardPolicy? policy = null, WardenGuardOptions? options = null) =>
        builder.UseWardenGuard(new Guard(scorer), policy ?? GuardPolicy.Default, options);

    /// <summary>Adds a Warden guard that uses the given guard (and so its scorer).</summary>
    public static ChatClientBuilder UseWardenGuard(this ChatClientBuilder builder, Guard guard, GuardPolicy policy, WardenGuardOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Use(inner => new WardenGuardChatClient(inner, guard, policy, options));
    }
}
