//! Happy paths of fleets, vehicles, CSV import and scheduling resources.

use serde_json::json;

use crate::common::{app, get, post, send_raw};

#[tokio::test]
async fn fleets_list_create_and_summarize() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/fleets").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!([{"fleet_id": "acme", "name": "Acme Logistics"}, {"fleet_id": "beta", "name": "Beta Buses"}])
    );

    let (status, body) = post(&app.router, "/api/v1/fleets", r#"{"fleet_id": "gamma", "name": "Gamma Vans"}"#).await;
    assert_eq!((status.as_u16(), body.clone()), (200, json!({"fleet_id": "gamma", "name": "Gamma Vans"})));
    let (_, body) = get(&app.router, "/api/v1/fleets").await;
    assert_eq!(body.as_array().map(Vec::len), Some(3));

    let (status, body) = get(&app.router, "/api/v1/fleets/acme/summary").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "fleet_id": "acme",
            "vehicles": 2,
            "mean_score": 65.0,
            "components_by_band": {"critical": 0, "degraded": 1, "healthy": 1, "watch": 0},
            "open_alerts_by_severity": {"critical": 1, "warning": 1},
            "upcoming_appointments": 1,
            "dead_letters": 0
        })
    );
}

fn vehicle_json(id: &str, fleet: &str) -> serde_json::Value {
    json!({
        "vehicle_id": id, "fleet_id": fleet, "vin": null, "owner": null, "make": "Volvo", "model": "FH16",
        "warranty_start": null, "home_depot": "north", "time_zone": null
    })
}

#[tokio::test]
async fn vehicles_list_register_and_get() {
    let app = app();
    let (status, body) = get(&app.router, "/api/v1/vehicles?fleet_id=acme").await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"items": [vehicle_json("v1", "acme"), vehicle_json("v2", "acme")], "offset": 0, "limit": 100})
    );

    let (_, body) = get(&app.router, "/api/v1/vehicles?offset=1&limit=1&unknown=ignored").await;
    assert_eq!(body, json!({"items": [vehicle_json("v2", "acme")], "offset": 1, "limit": 1}));

    let new = json!({
        "vehicle_id": "v9", "fleet_id": "beta", "vin": "1M8GDM9AXKP042788", "owner": "Dana",
        "make": "MAN", "model": "TGX", "warranty_start": "2025-03-01", "home_depot": "south", "time_zone": "Europe/Berlin"
    });
    let (status, body) = post(&app.router, "/api/v1/vehicles", &new.to_string()).await;
    assert_eq!((status.as_u16(), &body), (200, &new));
    let (status, body) = get(&app.router, "/api/v1/vehicles/v9").await;
    assert_eq!((status.as_u16(), body), (200, new));

    let (status, body) = get(&app.router, "/api/v1/vehicles/v1").await;
    assert_eq!((status.as_u16(), body), (200, vehicle_json("v1", "acme")));
}

const CSV_HEADER: &str = "vehicle_id,fleet_id,vin,owner,make,model,warranty_start,home_depot,time_zone";

#[tokio::test]
async fn csv_import_is_all_or_nothing() {
    let app = app();
    let good = format!(
        "{CSV_HEADER}\nv10,acme,,Ann,Scania,R450,2024-01-31,north,Europe/Oslo\nv11,beta,1M8GDM9AXKP042788,,,,,,\n"
    );
    let (status, body) = send_raw(&app.router, "POST", "/api/v1/vehicles/import", Some(&good), "text/csv", None).await;
    assert_eq!((status.as_u16(), body.as_str()), (200, r#"{"imported":2}"#));
    let (_, body) = get(&app.router, "/api/v1/vehicles/v10").await;
    assert_eq!(
        body,
        json!({
            "vehicle_id": "v10", "fleet_id": "acme", "vin": null, "owner": "Ann", "make": "Scania", "model": "R450",
            "warranty_start": "2024-01-31", "home_depot": "north", "time_zone": "Europe/Oslo"
        })
    );

    let bad =
        format!("{CSV_HEADER}\nv20,acme,,,,,,,\nv21,nowhere,,,,,,,\nv22,acme,,,,,31/01/2024,,\nv20,acme,,,,,,,\n");
    let (status, body) = send_raw(&app.router, "POST", "/api/v1/vehicles/import", Some(&bad), "text/csv", None).await;
    assert_eq!(status, 422);
    let body: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(
        body,
        json!({
            "error": "csv rejected: 3 problem(s); nothing was imported",
            "status": 422,
            "details": [
                "line 3: fleet 'nowhere' does not exist",
                "line 4: warranty_start: '31/01/2024' is not a YYYY-MM-DD date: input contains invalid characters",
                "line 5: vehicle 'v20' appears twice"
            ]
        })
    );
    let (status, _) = get(&app.router, "/api/v1/vehicles/v20").await;
    assert_eq!(status, 404);

    let (status, body) =
        send_raw(&app.router, "POST", "/api/v1/vehicles/import", Some("vehicle_id,fleet\nv1,acme\n"), "text/csv", None)
            .await;
    assert_eq!(status, 422);
    assert!(body.contains("line 1: header must have exactly the columns vehicle_id,fleet_id,vin"), "{body}");
}

#[tokio::test]
async fn scheduling_resources() {
    let app = app();
    for path in ["technicians", "bays", "parts"] {
        let (status, body) = get(&app.router, &format!("/api/v1/{path}")).await;
        assert_eq!((status.as_u16(), body), (200, json!([])));
    }
    let technician = json!({
        "technician_id": "t1", "name": "Kim", "depot": "north", "skills": ["brakes", "tires"],
        "shift_start_hour": 8, "shift_end_hour": 16
    });
    let bay = json!({"bay_id": "b1", "depot": "north"});
    let part = json!({"depot": "north", "component": "brakes", "quantity": 4});
    for (path, body) in [("technicians", &technician), ("bays", &bay), ("parts", &part)] {
        let (status, echoed) = post(&app.router, &format!("/api/v1/{path}"), &body.to_string()).await;
        assert_eq!((status.as_u16(), &echoed), (200, body));
        let (_, listed) = get(&app.router, &format!("/api/v1/{path}")).await;
        assert_eq!(listed, json!([body]));
    }
}
