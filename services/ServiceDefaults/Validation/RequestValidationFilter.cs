using Mep.ServiceDefaults.Errors;

namespace Mep.ServiceDefaults.Validation;

/// <summary>Runs <see cref="IValidatableRequest.Validate"/> on every request record an endpoint receives.</summary>
public sealed class RequestValidationFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var errors = new ValidationErrors();
        foreach (var argument in context.Arguments)
        {
            if (argument is IValidatableRequest request)
            {
                request.Validate(errors);
            }
        }

        return errors.IsEmpty ? await next(context) : ApiProblems.Validation(errors.ToDictionary());
    }
}

public static class RequestValidationExtensions
{
    /// <summary>Validates the request records of every endpoint in the group.</summary>
    public static TBuilder WithRequestValidation<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter<TBuilder, RequestValidationFilter>();
}
