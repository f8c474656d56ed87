using System.Collections.Concurrent;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;
using Mep.ServiceDefaults.Errors;
using Mep.ServiceDefaults.Http;

namespace Mep.ServiceDefaults.OpenApi;

/// <summary>What a handler's code can answer besides its declared result types, and which conditional headers it reads and writes.</summary>
internal sealed record HandlerFacts(IReadOnlySet<int> Statuses, bool ReadsIfMatch, bool RequiresIfMatch, bool SetsETag, bool ReadsIdempotencyKey);

/// <summary>
/// Reads what an endpoint handler can answer from its code instead of a list written beside it, so that the document follows the
/// code: the handler's IL and the IL of everything it calls in the platform's own assemblies (async state machines, lambdas and
/// local functions included) is searched for the calls that make an answer — <see cref="ApiProblems.NotFound(string)"/> is a 404,
/// <see cref="ETags.RequireIfMatch"/> a 412 or 428 and an If-Match header, a <see cref="DomainRuleException"/> a 422 (409 when it is
/// a state conflict). Calls through an interface or a delegate received from outside are not followed.
/// </summary>
internal static class HandlerAnswers
{
    private static readonly ConcurrentDictionary<MethodBase, HandlerFacts> Cache = new();
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!).ToDictionary(code => code.Value);

    private static readonly Dictionary<string, int> ProblemStatuses = new(StringComparer.Ordinal)
    {
        [nameof(ApiProblems.NotFound)] = 404,
        [nameof(ApiProblems.Conflict)] = 409,
        [nameof(ApiProblems.PreconditionFailed)] = 412,
        [nameof(ApiProblems.PreconditionRequired)] = 428,
        [nameof(ApiProblems.DomainRule)] = 422,
        [nameof(ApiProblems.PayloadTooLarge)] = 413,
        [nameof(ApiProblems.Malformed)] = 400,
        [nameof(ApiProblems.Validation)] = 400,
        [nameof(ApiProblems.InvalidFields)] = 400,
        [nameof(ApiProblems.Unavailable)] = 503,
        [nameof(ApiProblems.Internal)] = 500,
    };

    public static HandlerFacts Of(MethodInfo handler) => Cache.GetOrAdd(handler, Scan);

    private static HandlerFacts Scan(MethodBase handler)
    {
        var statuses = new SortedSet<int>();
        bool readsIfMatch = false, requiresIfMatch = false, setsETag = false, readsIdempotencyKey = false;
        var visited = new HashSet<MethodBase>();
        var pending = new Stack<MethodBase>([handler]);
        while (pending.TryPop(out var method))
        {
            if (!visited.Add(method) || visited.Count > 5_000)
            {
                continue;
            }

            // An async method's body is its state machine's MoveNext; the method itself only starts it.
            if (method.GetCustomAttribute<StateMachineAttribute>() is { StateMachineType: { } machine }
                && machine.GetMethod("MoveNext", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public) is { } moveNext)
            {
                pending.Push(moveNext);
            }

            foreach (var (called, lastStatusConstant) in CallsIn(method))
            {
                var owner = called.DeclaringType;
                if (owner == typeof(ApiProblems))
                {
                    if (ProblemStatuses.TryGetValue(called.Name, out var status))
                    {
                        statuses.Add(status);
                    }
                    else if (called.Name == nameof(ApiProblems.Problem) && lastStatusConstant is { } constant)
                    {
                        statuses.Add(constant);
                    }

                    continue;
                }

                // The finding helpers (FindForWriteAsync) are followed like any of our methods: they make their answers with these.
                if (owner == typeof(ETags) && called.Name is nameof(ETags.CheckIfMatch) or nameof(ETags.RequireIfMatch) or nameof(ETags.Set))
                {
                    readsIfMatch |= called.Name is nameof(ETags.CheckIfMatch) or nameof(ETags.RequireIfMatch);
                    requiresIfMatch |= called.Name == nameof(ETags.RequireIfMatch);
                    setsETag |= called.Name == nameof(ETags.Set);
                    if (called.Name is nameof(ETags.CheckIfMatch) or nameof(ETags.RequireIfMatch))
                    {
                        statuses.Add(412);
                    }

                    if (called.Name == nameof(ETags.RequireIfMatch))
                    {
                        statuses.Add(428);
                    }

                    continue;
                }

                if (owner == typeof(IdempotentRequests) && called.Name == nameof(IdempotentRequests.Read))
                {
                    readsIdempotencyKey = true;
                    statuses.Add(422);
                    continue;
                }

                if (owner == typeof(DomainRuleException))
                {
                    statuses.Add(called.Name == "set_" + nameof(DomainRuleException.IsStateConflict) ? 409 : 422);
                    continue;
                }

                if (IsOurs(owner))
                {
                    pending.Push(called);
                }
            }
        }

        return new HandlerFacts(statuses, readsIfMatch, requiresIfMatch, setsETag, readsIdempotencyKey);
    }

    private static bool IsOurs(Type? type) => type?.Assembly.GetName().Name?.StartsWith("Mep.", StringComparison.Ordinal) == true;

    /// <summary>The methods <paramref name="method"/> calls, creates or takes the address of, each with the last HTTP status (400-599) pushed before it.</summary>
    private static IEnumerable<(MethodBase Called, int? LastStatusConstant)> CallsIn(MethodBase method)
    {
        var il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        int? lastStatus = null;
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at++];
            if (value == 0xFE && at < il.Length)
            {
                value = (short)(0xFE00 | il[at++]);
            }

            if (!OpCodesByValue.TryGetValue(value, out var code))
            {
                yield break;
            }

            var operandStart = at;
            at += OperandSize(code, il, at);
            var constant = code.OperandType switch
            {
                OperandType.InlineI => BitConverter.ToInt32(il, operandStart),
                OperandType.ShortInlineI => (sbyte)il[operandStart],
                _ => (int?)null,
            };
            if (constant is >= 400 and < 600)
            {
                lastStatus = constant;
            }

            if (code.OperandType != OperandType.InlineMethod)
            {
                continue;
            }

            MethodBase? called;
            try
            {
                called = method.Module.ResolveMethod(BitConverter.ToInt32(il, operandStart), typeArguments, methodArguments);
            }
            catch (Exception unresolvable) when (unresolvable is ArgumentException or BadImageFormatException or TypeLoadException
                                                     or MissingMemberException)
            {
                // A token this generic context cannot resolve: the call is not followed (the document may then miss an answer).
                called = null;
            }

            if (called is not null)
            {
                yield return (called is MethodInfo { IsGenericMethod: true } generic ? generic.GetGenericMethodDefinition() : called, lastStatus);
            }
        }
    }

    private static int OperandSize(OpCode code, byte[] il, int at) => code.OperandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, at)),
        _ => 4,
    };
}
