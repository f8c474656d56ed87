using System.ComponentModel.DataAnnotations;
using Mep.Assets.Devices;
using Mep.Contracts.Schools;
using Mep.SchoolDirectory;
using Mep.ServiceDefaults.Validation;

namespace Mep.Assets.Registration;

/// <summary>A JSON batch: up to <see cref="RegistrationEndpoints.MaxBatchRows"/> devices of one school.</summary>
public sealed record DeviceBatchRequest([Required, MaxLength(RegistrationEndpoints.MaxBatchRows)] IReadOnlyList<DeviceRow>? Devices);

/// <param name="SchoolId">The school the devices belong to: for staff this or schoolNumber is required; a school key may omit both (its
/// own school).</param>
/// <param name="SchoolNumber">The school the devices belong to, by its number (with schoolId, both must name the same school).</param>
public sealed record RegistrationTarget(Guid? SchoolId, [MaxLength(SchoolFields.NumberLength), SchoolNumber] string? SchoolNumber)
    : IValidatableRequest;
