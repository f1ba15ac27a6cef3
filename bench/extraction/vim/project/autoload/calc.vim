function! calc#add(a, b)
  return a:a + a:b
endfunction

function! calc#mean(list)
  " bug: divides by one element too few
  return eval(join(a:list, '+')) / (len(a:list) - 1)
endfunction

function! calc#label(n)
  return 'n=' . a:n
endfunction
