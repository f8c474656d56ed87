using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Validation;

/// <summary>
/// Checks what an endpoint receives before its handler runs: every request record against the limits it declares
/// (<see cref="DeclaredRules"/>) and then its own <see cref="IValidatableRequest.Validate"/>, and every plain handler parameter
/// (a query or route value) that carries declarations of its own. All field errors come back together in one 400.
/// </summary>
public sealed class RequestValidationFilter : IEndpointFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, IReadOnlyList<(int Index, ParameterInfo Parameter, Attribute[] Declared)>> DeclaredParameters = new();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new ValidationErrors();
        if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<MethodInfo>() is { } handler)
        {
            foreach (var (index, parameter, declared) in DeclaredParameters.GetOrAdd(handler, Declarations))
            {
                if (index < context.Arguments.Count)
                {
                    DeclaredRules.Check(declared, parameter.ParameterType, context.Arguments[index], errors,
                        JsonNamingPolicy.CamelCase.ConvertName(parameter.Name!));
                }
            }
        }

        foreach (var argument in context.Arguments)
        {
            if (argument is IValidatableRequest request)
            {
                DeclaredRules.Check(request, errors);
                request.Validate(errors);
            }
        }

        return errors.IsEmpty ? await next(context) : ApiProblems.Validation(errors.ToDictionary());
    }

    private static IReadOnlyList<(int, ParameterInfo, Attribute[])> Declarations(MethodInfo handler) =>
    [
        .. handler.GetParameters()
            .Select((parameter, index) => (index, parameter, parameter.GetCustomAttributes(inherit: true).OfType<Attribute>()
                .Where(a => a is System.ComponentModel.DataAnnotations.ValidationAttribute or TextChoiceAttribute or MoneyAttribute or DecimalRangeAttribute or ItemsAttribute).ToArray()))
            .Where(p => p.Item3.Length > 0),
    ];
}

public static class RequestValidationExtensions
{
    /// <summary>Validates the request records of every endpoint in the group.</summary>
    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, RequestValidationFilter>();
}
