using System.ComponentModel.DataAnnotations;
using Mep.Assets.Devices;

namespace Mep.Assets.Registration;

/// <summary>A JSON batch: up to <see cref="RegistrationEndpoints.MaxBatchRows"/> devices of one school.</summary>
public sealed record DeviceBatchRequest([Required, MaxLength(RegistrationEndpoints.MaxBatchRows)] IReadOnlyList<DeviceRow>? Devices);

/// <param name="SchoolId">The school the devices belong to: required for staff; a school key may omit it (its own school).</param>
public sealed record RegistrationTarget(Guid? SchoolId);
