"""The tutorial's first Process example (Bonannella, "A simple Python multiprocessing example"), in
its own shape: a child process runs bubble_sort on the list it was given and prints it. The
tutorial's listing lost its `p.start()` and `p.join()` lines (its prose names both): here they are.
The last line, a check of the exit code, is ours.
"""

from multiprocessing import Process


def bubble_sort(array):
    check = True
    while check == True:
      check = False
      for i in range(0, len(array)-1):
        if array[i] > array[i+1]:
          check = True
          temp = array[i]
          array[i] = array[i+1]
          array[i+1] = temp
    print("Array sorted: ", array)


if __name__ == '__main__':
    p = Process(target=bubble_sort, args=([1,9,4,5,2,6,8,4],))
    p.start()
    p.join()
    assert p.exitcode == 0, "the child failed"
