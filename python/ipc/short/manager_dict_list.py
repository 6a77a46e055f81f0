"""The tutorial's Manager: a server process owns a dict and a list; workers call it by proxy."""

from multiprocessing import Manager, Process


def worker(shared_dict, shared_list, worker_id):
    shared_dict[f"worker_{worker_id}"] = worker_id * 10
    shared_list.append(worker_id)


if __name__ == "__main__":
    with Manager() as manager:
        shared_dict = manager.dict()
        shared_list = manager.list()

        processes = [Process(target=worker, args=(shared_dict, shared_list, i)) for i in range(4)]
        for p in processes:
            p.start()
        for p in processes:
            p.join()

        print(f"Dict: {dict(sorted(shared_dict.items()))}")
        print(f"List: {list(shared_list)}")
