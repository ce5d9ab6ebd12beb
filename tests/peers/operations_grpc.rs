//! cancelwire's generated gRPC client against the example server's
//! Operations service, in process on a loopback port: the stubs of the
//! `grpc` feature, the store's semantics, and `Status` travelling through
//! `grpc-status-details-bin` with its code intact.

use crate::{grpc, store};

use cancelwire::longrunning::operations_client::OperationsClient;
use cancelwire::longrunning::{
    CancelOperationRequest, DeleteOperationRequest, GetOperationRequest, ListOperationsRequest,
    OperationState, WaitOperationRequest,
};
use cancelwire::rpc::{Code, Status};
use std::sync::Arc;
use std::time::Duration;
use tonic::transport::Channel;

async fn start(
    count: usize,
    run_for: Duration,
) -> (OperationsClient<Channel>, tokio::sync::oneshot::Sender<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let store = Arc::new(store::Store::seeded(
        "projects/demo",
        "operations",
        count,
        run_for,
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(
        tonic::transport::Server::builder()
            .add_service(grpc::service(store, None))
            .serve_with_incoming_shutdown(
                tonic::transport::server::TcpIncoming::from(listener),
                async {
                    let _ = stopped.await;
                },
            ),
    );
    let channel = tonic::transport::Endpoint::from_shared(format!("http://{addr}"))
        .unwrap()
        .timeout(Duration::from_secs(10))
        .connect()
        .await
        .unwrap();
    (OperationsClient::new(channel), stop)
}

fn name(i: usize) -> String {
    format!("projects/demo/operations/op-{i}")
}

#[tokio::test]
async fn list_pages_through_every_operation() {
    let (mut client, _stop) = start(5, Duration::from_secs(60)).await;
    let mut seen = Vec::new();
    let mut page_token = String::new();
    for _ in 0..10 {
        let request = ListOperationsRequest {
            name: "projects/demo".into(),
            page_size: 2,
            page_token: page_token.clone(),
            ..Default::default()
        };
        let page = client.list_operations(request).await.unwrap().into_inner();
        assert!(page.operations.len() <= 2);
        seen.extend(page.operations.into_iter().map(|o| o.name));
        page_token = page.next_page_token;
        if page_token.is_empty() {
            break;
        }
    }
    assert_eq!(seen, (1..=5).map(name).collect::<Vec<_>>());
}

#[tokio::test]
async fn cancel_keeps_the_operation_done_with_cancelled() {
    let (mut client, _stop) = start(2, Duration::from_secs(60)).await;
    client
        .cancel_operation(CancelOperationRequest {
            name: name(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let op = client
        .get_operation(GetOperationRequest {
            name: name(1),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(op.is_cancelled(), "{op:?}");
    let other = client
        .get_operation(GetOperationRequest {
            name: name(2),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_inner();
    assert!(matches!(other.state().unwrap(), OperationState::Running));
}

#[tokio::test]
async fn errors_arrive_as_google_rpc_status_with_their_code() {
    let (mut client, _stop) = start(1, Duration::from_secs(60)).await;
    client
        .delete_operation(DeleteOperationRequest {
            name: name(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let err = client
        .get_operation(GetOperationRequest {
            name: name(1),
            ..Default::default()
        })
        .await
        .unwrap_err();
    assert_eq!(err.code(), tonic::Code::NotFound);
    let status = Status::try_from(err).unwrap();
    assert_eq!(status.code(), Code::NOT_FOUND);
    assert!(status.message.contains(&name(1)));

    let bad = ListOperationsRequest {
        name: "projects/demo".into(),
        page_size: -1,
        ..Default::default()
    };
    let err = client.list_operations(bad).await.unwrap_err();
    assert_eq!(
        Status::try_from(err).unwrap().code(),
        Code::INVALID_ARGUMENT
    );
}

#[tokio::test]
async fn wait_returns_once_the_operation_completes() {
    let (mut client, _stop) = start(1, Duration::from_millis(300)).await;
    let wait = WaitOperationRequest {
        name: name(1),
        timeout: Some(cancelwire::wkt::Duration {
            seconds: 10,
            nanos: 0,
            ..Default::default()
        }),
        ..Default::default()
    };
    let started = std::time::Instant::now();
    let op = client.wait_operation(wait).await.unwrap().into_inner();
    assert!(op.done, "{op:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    let completed_at: Option<cancelwire::wkt::Timestamp> = op.response_as().unwrap();
    assert!(completed_at.is_some_and(|t| t.seconds > 1_700_000_000));
}

#[tokio::test]
async fn wait_is_woken_by_a_cancel() {
    let (mut client, _stop) = start(1, Duration::from_secs(60)).await;
    let mut waiter = client.clone();
    let wait = tokio::spawn(async move {
        let request = WaitOperationRequest {
            name: name(1),
            timeout: Some(cancelwire::wkt::Duration {
                seconds: 30,
                nanos: 0,
                ..Default::default()
            }),
            ..Default::default()
        };
        waiter.wait_operation(request).await.map(|r| r.into_inner())
    });
    tokio::time::sleep(Duration::from_millis(100)).await;
    client
        .cancel_operation(CancelOperationRequest {
            name: name(1),
            ..Default::default()
        })
        .await
        .unwrap();
    let op = tokio::time::timeout(Duration::from_secs(5), wait)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    assert!(op.is_cancelled(), "{op:?}");
}
